"""The public pages: verify a certificate by its QR code or its folio, without an account."""
