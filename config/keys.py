"""RSA signing keys for development; production always supplies its own."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def rsa_private_key_generate_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()


def development_key_load_or_create(path: Path) -> str:
    """Return the PEM stored at ``path``, creating it atomically on first use."""
    if path.exists():
        return path.read_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = rsa_private_key_generate_pem()
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jwt-key-")
    with os.fdopen(descriptor, "w") as handle:
        handle.write(pem)
    try:
        # link() fails if another process created the file first; theirs wins.
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return path.read_text()
