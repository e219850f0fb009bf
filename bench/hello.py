"""The baseline for bench/verify.sh: a hello-world Flask app on the same URL shape.

gunicorn --pythonpath bench -w 2 hello:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/v/<public_id>")
def hello(public_id: str):
    return "Hello, world!"
