#!/usr/bin/python3
"""Logging proxy for the PostgreSQL wire protocol, used to record what each driver
sends (startup parameters, queries, extended-protocol messages).

  /usr/bin/python3 tests/clients/wire_trace.py --listen-port LP --upstream-host H
      --upstream-port P --cert server.crt --key server.key [--log FILE]

Clients connect to 127.0.0.1:LP.  An SSLRequest is forwarded to the upstream
server; if it says 'S', the proxy terminates TLS towards the client with the
given certificate (use the upstream server's own certificate and key so that
SCRAM-SHA-256-PLUS channel binding, tls-server-end-point, still matches) and
opens TLS to the upstream.  A GSSENCRequest is refused with 'N'.  Every
frontend message is logged decoded (passwords and SCRAM payloads are not), and
from the backend: authentication requests, ParameterStatus, errors,
NegotiateProtocolVersion.  For test use only.
"""
import argparse
import itertools
import select
import socket
import ssl
import struct
import sys
import threading

LOCK = threading.Lock()
OUT = sys.stdout
IDS = itertools.count(1)


def log(cid, text):
    with LOCK:
        OUT.write(f"[{cid}] {text}\n")
        OUT.flush()


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def cstrings(data):
    return [x.decode(errors="replace") for x in data.split(b"\0")]


class Parser:
    """Splits a byte stream into (type, body) messages."""

    def __init__(self):
        self.buf = b""

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 5:
            n = struct.unpack("!I", self.buf[1:5])[0]
            if len(self.buf) < 1 + n:
                break
            out.append((self.buf[:1], self.buf[5:1 + n]))
            self.buf = self.buf[1 + n:]
        return out


def describe_frontend(kind, body, state):
    k = kind.decode()
    if k == "Q":
        return f"Query {body[:-1].decode(errors='replace')!r}"
    if k == "P":
        name, rest = body.split(b"\0", 1)
        query, rest = rest.split(b"\0", 1)
        n = struct.unpack("!H", rest[:2])[0]
        oids = struct.unpack(f"!{n}I", rest[2:2 + 4 * n]) if n else ()
        return f"Parse stmt={name.decode()!r} query={query.decode(errors='replace')!r} param_oids={list(oids)}"
    if k == "B":
        portal, rest = body.split(b"\0", 1)
        stmt, rest = rest.split(b"\0", 1)
        nf = struct.unpack("!H", rest[:2])[0]
        fmts = struct.unpack(f"!{nf}H", rest[2:2 + 2 * nf]) if nf else ()
        rest = rest[2 + 2 * nf:]
        np_ = struct.unpack("!H", rest[:2])[0]
        pos, vals = 2, []
        for _ in range(np_):
            ln = struct.unpack("!i", rest[pos:pos + 4])[0]
            pos += 4
            if ln < 0:
                vals.append(None)
            else:
                vals.append(rest[pos:pos + ln])
                pos += ln
        nr = struct.unpack("!H", rest[pos:pos + 2])[0]
        rfmts = struct.unpack(f"!{nr}H", rest[pos + 2:pos + 2 + 2 * nr]) if nr else ()
        shown = [v if v is None else (v.decode(errors="replace") if 0 not in v else v.hex()) for v in vals]
        return (f"Bind portal={portal.decode()!r} stmt={stmt.decode()!r} param_formats={list(fmts)} "
                f"params={shown} result_formats={list(rfmts)}")
    if k == "D":
        return f"Describe {'statement' if body[:1] == b'S' else 'portal'} {body[1:-1].decode()!r}"
    if k == "E":
        portal, rest = body.split(b"\0", 1)
        return f"Execute portal={portal.decode()!r} max_rows={struct.unpack('!I', rest[:4])[0]}"
    if k == "C":
        return f"Close {'statement' if body[:1] == b'S' else 'portal'} {body[1:-1].decode()!r}"
    if k == "S":
        return "Sync"
    if k == "H":
        return "Flush"
    if k == "X":
        return "Terminate"
    if k == "p":
        if state.get("sasl") and not state.get("sasl_started"):
            state["sasl_started"] = True
            mech = body.split(b"\0", 1)[0].decode()
            cb = ""
            rest = body.split(b"\0", 1)[1]
            if len(rest) > 4:
                gs2 = rest[4:].split(b",", 1)[0].decode(errors="replace")
                cb = f" gs2_cbind_flag={gs2!r}"
            return f"SASLInitialResponse mechanism={mech}{cb}"
        return f"PasswordMessage/SASLResponse ({len(body)} bytes, not shown)"
    if k in "dcf":
        return {"d": f"CopyData ({len(body)} bytes)", "c": "CopyDone", "f": "CopyFail"}[k]
    if k == "F":
        return "FunctionCall"
    return f"message {k!r} ({len(body)} bytes)"


AUTH = {0: "AuthenticationOk", 3: "AuthenticationCleartextPassword", 5: "AuthenticationMD5Password",
        10: "AuthenticationSASL", 11: "AuthenticationSASLContinue", 12: "AuthenticationSASLFinal"}


def describe_backend(kind, body, state):
    k = kind.decode()
    if k == "R":
        code = struct.unpack("!I", body[:4])[0]
        if code == 10:
            state["sasl"] = True
            return f"{AUTH[10]} mechanisms={[m for m in cstrings(body[4:]) if m]}"
        return AUTH.get(code, f"Authentication code {code}")
    if k == "S":
        name, value = cstrings(body)[:2]
        return f"ParameterStatus {name}={value!r}"
    if k == "E" or k == "N":
        f = {s[0]: s[1:] for s in cstrings(body) if s}
        return f"{'ErrorResponse' if k == 'E' else 'NoticeResponse'} {f.get('V', f.get('S'))} {f.get('C')} {f.get('M')!r}"
    if k == "v":
        return f"NegotiateProtocolVersion {struct.unpack('!II', body[:8])}"
    if k == "K":
        return "BackendKeyData"
    return None


def handle(client, args, sctx):
    cid = next(IDS)
    up = None
    try:
        tls = False
        while True:
            head = recv_exact(client, 8)
            n, code = struct.unpack("!II", head)
            if code == 80877104:
                log(cid, "GSSENCRequest -> answered N")
                client.sendall(b"N")
                continue
            if code == 80877103:
                up = socket.create_connection((args.upstream_host, args.upstream_port))
                up.sendall(head)
                ans = recv_exact(up, 1)
                client.sendall(ans)
                log(cid, f"SSLRequest -> upstream answered {ans.decode()}")
                if ans == b"S":
                    client = sctx.wrap_socket(client, server_side=True)
                    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                    cctx.check_hostname = False
                    cctx.verify_mode = ssl.CERT_NONE
                    up = cctx.wrap_socket(up, server_hostname=args.upstream_host)
                    tls = True
                    log(cid, f"TLS {client.version()} {client.cipher()[0]} (client ALPN {client.selected_alpn_protocol()})")
                continue
            body = recv_exact(client, n - 8)
            if code == 80877102:
                log(cid, "CancelRequest")
            else:
                params = cstrings(body)
                pairs = dict(zip(params[0:-1:2], params[1::2]))
                pairs.pop("", None)
                log(cid, f"StartupMessage protocol={code >> 16}.{code & 0xFFFF} tls={tls} params={pairs}")
            if up is None:
                up = socket.create_connection((args.upstream_host, args.upstream_port))
            up.sendall(head + body)
            break
        state = {}
        fp, bp = Parser(), Parser()
        socks = [client, up]
        while True:
            ready = [s for s in socks if isinstance(s, ssl.SSLSocket) and s.pending()]
            if not ready:
                ready, _, _ = select.select(socks, [], [], 300)
                if not ready:
                    break
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                if s is client:
                    for kind, b in fp.feed(data):
                        log(cid, "F " + describe_frontend(kind, b, state))
                    up.sendall(data)
                else:
                    for kind, b in bp.feed(data):
                        d = describe_backend(kind, b, state)
                        if d:
                            log(cid, "B " + d)
                    client.sendall(data)
    except (EOFError, OSError) as e:
        if not isinstance(e, EOFError):
            log(cid, f"connection error: {e}")
    finally:
        for s in (client, up):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


def main():
    global OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen-port", type=int, required=True)
    ap.add_argument("--upstream-host", default="127.0.0.1")
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    if args.log:
        OUT = open(args.log, "a")
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(args.cert, args.key)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.listen_port))
    srv.listen(128)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=handle, args=(c, args, sctx), daemon=True).start()


if __name__ == "__main__":
    main()
