"""Verifies a generic webhook delivery as a receiver would, with the Standard Webhooks reference
library (PyPI standardwebhooks, pinned in .ci/run): `Webhook(secret).verify(body, headers)`.
Usage: python3 verify_signature.py SECRET HEADERS.json BODY; prints the verified document as
JSON, or the library's error (exit 1)."""
import json
import sys

from standardwebhooks import Webhook

secret, headers_file, body_file = sys.argv[1:4]
with open(headers_file, encoding="utf-8") as f:
    headers = json.load(f)
with open(body_file, "rb") as f:
    body = f.read()
try:
    document = Webhook(secret).verify(body, headers)
except Exception as e:  # the library's WebhookVerificationError and friends
    print(f"{type(e).__name__}: {e}")
    sys.exit(1)
print(json.dumps(document, ensure_ascii=False))
