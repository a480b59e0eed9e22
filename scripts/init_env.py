#!/usr/bin/env python3
"""Write `.env` for local use with freshly generated secrets, unless one exists.

Runs before Django is importable (settings refuse to start without these secrets).
"""

import base64
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    target = ROOT / ".env"
    if target.exists():
        return 0
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    lines = [
        "# Written by `make run` for local use. Never use these values in production.",
        "DEBUG=1",
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        f"FIELD_ENCRYPTION_KEYS={fernet_key}",
        f"NIK_HASH_KEY={secrets.token_urlsafe(32)}",
        "# DATABASE_URL=postgres://postgres@127.0.0.1:5432/tppo",
        "# CELERY_BROKER_URL=redis://127.0.0.1:6379/0",
        "",
    ]
    target.write_text("\n".join(lines))
    target.chmod(0o600)
    print(f"Wrote {target.name} with fresh secrets.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
