"""A small RFC 3161 time-stamping server for development and tests (127.0.0.1 only).

Production uses the TSA configured in SIJILL_TSA_URL; this one signs timestamps with the
dev PKI's TSA key so B-T signatures can be made and checked without the internet.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import tsp
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


class LocalTsa:
    def __init__(self, cert_pem: Path, key_pem: Path, port: int = 0) -> None:
        stamper = DummyTimeStamper(
            tsa_cert=load_cert_from_pemder(str(cert_pem)), tsa_key=load_private_key_from_pemder(str(key_pem), None)
        )

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                    status = 200
                except Exception as exc:  # a malformed request gets an HTTP error, not a crash
                    reply, status = str(exc).encode(), 400
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalTsa:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
