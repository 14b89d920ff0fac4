"""Provider tokens sealed with AES-256-GCM: Atrium must send them again, so they are encrypted, not hashed.

The key is derived (HKDF-SHA256) from the server's secret (ATRIUM_SECRET_KEY, or one generated into the data
folder). Each token gets a random 96-bit nonce and is bound to its source (the associated data), so a sealed
token copied to another row does not open.
"""

from typing import final

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from application.delivery.ports import TokenCipher, TokenUnreadable

VERSION = "v1."
_INFO = b"atrium delivery source tokens v1"


@final
class AesGcmTokenCipher(TokenCipher):
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the secret key must not be empty")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "AesGcmTokenCipher(<key hidden>)"

    def seal(self, token: str, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, token.encode(), context.encode())
        return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str, context: str) -> str:
        try:
            if not sealed.startswith(VERSION):
                raise ValueError("unknown version")
            raw = base64.urlsafe_b64decode(sealed.removeprefix(VERSION))
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
            raise TokenUnreadable() from None
