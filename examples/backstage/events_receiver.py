#!/usr/bin/env python3
"""Stands in for Backstage's events backend in the README: answers every POST with 202 and prints
the path and X-Event-Key it got. Usage: python3 events_receiver.py PORT"""
import http.server
import sys


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        print(f"POST {self.path} X-Event-Key: {self.headers.get('X-Event-Key')}", flush=True)
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
