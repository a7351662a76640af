#!/usr/bin/python3
"""Raw-protocol probe of the connection handshake (no driver in between).

Settings from CT_HOST, CT_PORT, CT_USER, CT_DBNAME.  Prints "OK ..." or "FAIL: reason".

Checks, on one TCP connection:
  1. GSSENCRequest (code 80877104) is answered with a single byte 'N' (refused;
     the client may then send SSLRequest on the same connection) or 'G'
     (PostgreSQL built with GSSAPI says 'G'; the probe then reconnects).  libpq
     sends GSSENCRequest first whenever a Kerberos credential cache exists;
  2. SSLRequest (code 80877103) is answered with 'S', and a TLS handshake
     succeeds (self-signed certificate, not verified);
  3. a protocol-3.0 StartupMessage over TLS is answered with AuthenticationSASL
     (R, code 10) whose mechanism list contains SCRAM-SHA-256.  This is the only
     check in the suite that proves SCRAM is used: libpq 15 has no require_auth.
  4. a StartupMessage for a minor protocol version the server does not know
     (3.99, with an unknown _pq_.x option) gets NegotiateProtocolVersion or
     proceeds to authentication; either is acceptable, a dropped connection is not.
The probe stops before sending a SASLInitialResponse.
"""
import os
import socket
import ssl
import struct
import sys

HOST = os.environ.get("CT_HOST", "127.0.0.1")
PORT = int(os.environ.get("CT_PORT", "5432"))
USER = os.environ.get("CT_USER", "admin")
DB = os.environ.get("CT_DBNAME", "postgres")


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            fail(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def read_message(s):
    head = recv_exact(s, 5)
    kind, length = head[:1], struct.unpack("!I", head[1:])[0]
    return kind, recv_exact(s, length - 4)


def startup(version, params):
    body = struct.pack("!I", version)
    for k, v in params.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def error_text(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode(errors="replace")
    return f"{fields.get('C', '?')} {fields.get('M', '')}"


def tls_connection(gss_first=False):
    s = socket.create_connection((HOST, PORT), timeout=20)
    if gss_first:
        s.sendall(struct.pack("!II", 8, 80877104))  # GSSENCRequest
        r = recv_exact(s, 1)
        if r == b"G":
            s.close()
            s = socket.create_connection((HOST, PORT), timeout=20)
        elif r != b"N":
            fail(f"GSSENCRequest answered {r!r}, want b'N' (or b'G')")
        GSS_ANSWER.append(r.decode())
    s.sendall(struct.pack("!II", 8, 80877103))  # SSLRequest
    r = recv_exact(s, 1)
    if r != b"S":
        fail(f"SSLRequest answered {r!r}, want b'S'")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        return ctx.wrap_socket(s, server_hostname=HOST)
    except ssl.SSLError as e:
        fail(f"TLS handshake: {e}")


GSS_ANSWER = []


def main():
    t = tls_connection(gss_first=True)
    t.sendall(startup(196608, {"user": USER, "database": DB, "application_name": "borealis-probe"}))
    kind, body = read_message(t)
    if kind == b"E":
        fail(f"startup rejected: {error_text(body)}")
    if kind != b"R":
        fail(f"startup answered with message {kind!r}, want R (authentication request)")
    code = struct.unpack("!I", body[:4])[0]
    if code != 10:
        names = {0: "Ok (no authentication!)", 3: "CleartextPassword", 5: "MD5Password"}
        fail(f"authentication request code {code} ({names.get(code, '?')}), want 10 (SASL)")
    mechs = [m.decode() for m in body[4:].split(b"\0") if m]
    if "SCRAM-SHA-256" not in mechs:
        fail(f"SASL mechanisms {mechs}, want SCRAM-SHA-256")
    t.close()

    t = tls_connection()
    t.sendall(startup((3 << 16) | 99, {"user": USER, "database": DB, "_pq_.borealis_probe": "1"}))
    kind, body = read_message(t)
    if kind == b"v":
        # PostgreSQL 15 sends the whole version number (3 << 16 | 0 = 196608) here,
        # although the protocol documentation speaks of "newest minor version".
        version, nopts = struct.unpack("!II", body[:8])
        if version & 0xFFFF >= 99:
            fail(f"NegotiateProtocolVersion offers version {version >> 16}.{version & 0xFFFF}")
        unknown = [o.decode() for o in body[8:].split(b"\0") if o]
        if nopts != 1 or unknown != ["_pq_.borealis_probe"]:
            fail(f"NegotiateProtocolVersion lists unrecognized options {unknown} (count {nopts})")
        kind, body = read_message(t)
    if kind != b"R":
        fail(f"protocol 3.99 startup answered {kind!r} {error_text(body) if kind == b'E' else ''}")
    t.close()
    print(f"OK handshake: GSSENCRequest -> {GSS_ANSWER[0]}, TLS accepted, SASL mechanisms {','.join(mechs)}")


if __name__ == "__main__":
    try:
        main()
    except (OSError, struct.error) as e:
        fail(f"{type(e).__name__}: {e}")
