"""Issuance, folio numbering, signing, rendering (the only PDF/QR code), storage, revocation."""
