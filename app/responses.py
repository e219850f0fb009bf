"""Responses that stream a file to the client instead of building it in memory."""

from typing import BinaryIO

from flask import Response, request
from werkzeug.wsgi import wrap_file

from app.storage import size_of


def streamed_download(stream: BinaryIO, mimetype: str, filename: str) -> Response:
    """`stream` (seekable, at its start) sent in chunks as an attachment; closed once sent.

    Private: a downloaded file is someone's certificate, never kept by a shared cache.
    """
    return Response(
        wrap_file(request.environ, stream),
        mimetype=mimetype,
        direct_passthrough=True,
        headers={
            "Content-Length": str(size_of(stream)),
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
