#!/usr/bin/env python3
"""Regenerates libpq-uri-table.csv from the system libpq (libpq.so.5).

Run once by hand when the table changes: python3 generate-libpq-uri-table.py > libpq-uri-table.csv
PQconninfoParse only parses (it never connects), so no server is needed. The Java test reads
the committed CSV and does not need libpq. Columns:
  uri, libpq (ok|error), the values libpq reports (NULL when unset), ours (same|reject|accept)
  and a note. "reject" and "accept" mark documented deviations: values libpq only checks
  when connecting are checked at parse time, and pool/pgjdbc parameters are accepted.
"""
import ctypes

lib = ctypes.CDLL("libpq.so.5")


class Option(ctypes.Structure):
    _fields_ = [("keyword", ctypes.c_char_p), ("envvar", ctypes.c_char_p), ("compiled", ctypes.c_char_p),
                ("val", ctypes.c_char_p), ("label", ctypes.c_char_p), ("dispchar", ctypes.c_char_p),
                ("dispsize", ctypes.c_int)]


lib.PQconninfoParse.restype = ctypes.POINTER(Option)
lib.PQconninfoParse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]
lib.PQlibVersion.restype = ctypes.c_int

COLUMNS = ["user", "password", "dbname", "host", "port", "hostaddr", "sslmode", "application_name", "options"]

# (uri, ours, note)
CASES = [
    ("postgresql://", "same", "everything empty"),
    ("postgres://", "same", "short scheme"),
    ("postgresql://localhost", "same", ""),
    ("postgresql://localhost:5433", "same", ""),
    ("postgresql://localhost/mydb", "same", ""),
    ("postgresql://user@localhost", "same", ""),
    ("postgresql://user:s3cret@localhost", "same", ""),
    ("postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp", "same", "libpq docs example"),
    ("postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp", "same",
     "libpq docs example"),
    ("postgres:///db", "same", "empty host"),
    ("postgres://:5433/", "same", "empty host with port"),
    ("postgres://user@", "same", "user only"),
    ("postgresql://user:@host/db", "same", "empty password"),
    ("postgresql://:s3cret@host/db", "same", "empty user"),
    ("postgresql://[::1]/db", "same", "IPv6 without port"),
    ("postgresql://[::1]:5432/db", "same", "IPv6 with port"),
    ("postgresql://[2001:db8::1234]:6543,[::1]/db", "same", "two IPv6 hosts"),
    ("postgresql://h1,h2:5433/db", "same", "port on the second host only"),
    ("postgresql://h1:5432,h2:5433/db", "same", ""),
    ("postgresql://u%40x:p%40ss%2Fw%3Ard@host/d%20b", "same", "escapes in user, password and dbname"),
    ("postgresql://%2Fvar%2Frun%2Fpostgresql/db", "same", "unix socket as escaped host"),
    ("postgresql:///db?host=/var/run/postgresql", "same", "unix socket as query parameter"),
    ("postgresql://host/db?user=alice&password=s3cret", "same", "credentials as query parameters"),
    ("postgresql://bob:pw9@host:5432/db?user=alice&dbname=other&port=6000&host=h9", "same",
     "query parameters override the URI parts"),
    ("postgresql://host/db?sslmode=require&sslrootcert=%2Fetc%2Fca.pem", "same", ""),
    ("postgresql://host/db?ssl=true", "same", "JDBC compatibility: sslmode=require"),
    ("postgresql://host/db?hostaddr=10.0.0.5", "same", ""),
    ("postgresql:///db?hostaddr=127.0.0.1", "same", "hostaddr without host"),
    ("postgresql://host/db?", "same", "empty query"),
    ("postgresql://host/db?options=-c%20search_path%3Dapp", "same", ""),
    ("postgresql://host/db?application_name=a+b", "same", "+ is not a space"),
    ("postgresql://host/%E2%82%AC", "same", "UTF-8 escape"),
    ("postgresql://host/db?keepalives=1&keepalives_idle=30", "same", ""),
    ("postgresql://user:p?ss@host/db", "same", "? inside the password"),
    ("postgresql://host:5432", "same", ""),
    ("postgresql://host:/db", "same", "empty port"),
    ("postgresql://h%31/db", "same", "escaped host character"),
    ("postgresql://host/db?dbname=", "same", "empty dbname parameter"),
    ("postgresql://host/db?application_name=x&application_name=y", "same", "last value wins"),
    ("postgresql://host/db?a%70plication_name=x", "same", "escaped parameter name"),
    ("postgresql://host/db?sslpassword=k3y", "same", ""),
    ("postgresql://[::1", "same", "unterminated ["),
    ("postgresql://[]/db", "same", "empty IPv6"),
    ("postgresql://[::1]x/db", "same", "junk after ]"),
    ("postgresql://host/db?sslmode", "same", "parameter without ="),
    ("postgresql://host/db?sslmode=a=b", "same", "parameter with two ="),
    ("postgresql://host/db?foo=bar", "same", "unknown parameter"),
    ("postgresql://host/d%zzb", "same", "bad escape"),
    ("postgresql://host/db%4", "same", "truncated escape"),
    ("postgresql://host/d%00b", "same", "%00"),
    ("postgresql://us%00er@host/db", "same", "%00 in user"),
    ("postgresql://host/db?application_name=%zz", "same", "bad escape in a value"),
    ("postgresql://user:s3%cret@host/db", "same", "bad escape in the password"),
    ("postgresql://host/db?&sslmode=require", "same", "empty parameter"),
    ("postgresql://host/db?ssl=false", "same", "only ssl=true is understood"),
    ("postgresql://user:pass@host:port/db", "reject", "seed placeholder: port must be a number"),
    ("postgresql://h1,h2,h3:5433,5434/db", "same", "5434 is a fourth host, not a port"),
    ("postgresql:///db?host=h1,h2,h3&port=5433,5434", "reject", "libpq fails at connect: 2 ports for 3 hosts"),
    ("postgresql://user:p@ss@host/db", "reject", "unencoded @ in the password lands in the host"),
    ("postgresql://host:99999/db", "reject", "libpq fails at connect: port out of range"),
    ("postgresql://host/db?sslmode=bogus", "reject", "libpq fails at connect: bad sslmode"),
    ("postgresql://host/db?target_session_attrs=whatever", "reject", "libpq fails at connect"),
    ("postgresql://us/er:pw9@host/db", "reject", "unencoded / in the user: @ lands in the dbname"),
    ("postgresql://host/%FF", "reject", "not UTF-8"),
    ("postgresql://host/db?requiressl=1", "reject", "requiressl was removed in libpq 16"),
    ("postgresql://host/db?connection_limit=10&pool_timeout=10", "accept", "pool parameters"),
    ("postgresql://host/db?reWriteBatchedInserts=true", "accept", "pgjdbc property"),
]


def cell(value):
    if value is None:
        return "NULL"
    return '"' + value.replace('"', '""') + '"'


def main():
    print("# Generated from libpq %d's PQconninfoParse (libpq.so.5 via Python ctypes) by" % lib.PQlibVersion())
    print("# generate-libpq-uri-table.py in this directory. NULL = libpq reports no value.")
    print("# ours: same = we must agree with libpq; reject/accept = documented deviation (see the README, "Deviations from libpq and from the seeds").")
    print(",".join(["uri", "libpq"] + COLUMNS + ["ours", "note"]))
    for uri, ours, note in CASES:
        error = ctypes.c_char_p()
        options = lib.PQconninfoParse(uri.encode(), ctypes.byref(error))
        values = dict.fromkeys(COLUMNS)
        if options:
            i = 0
            while options[i].keyword:
                key = options[i].keyword.decode()
                if key in values and options[i].val is not None:
                    values[key] = options[i].val.decode("utf-8", "replace")
                i += 1
            outcome = "ok"
        else:
            outcome = "error"
            message = error.value.decode().strip() if error.value else ""
            note = (note + "; " if note else "") + "libpq: " + message.replace("s3cret", "****")
        print(",".join([cell(uri), outcome] + [cell(values[c]) for c in COLUMNS] + [ours, cell(note)]))


main()
