"""An independent verifier for our credentials: Digital Bazaar's JavaScript libraries, in Node.

The npm packages are pinned by package-lock.json and installed once per session with `npm ci`
into tests/interop/node_modules (git-ignored); a later session reuses them while the lock file
is unchanged. Without node or npm the tests skip, except under CI=true, where they fail.
"""

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
NODE_MODULES = HERE / "node_modules"
# npm writes the lock file it installed from here; equal to ours means nothing to install.
INSTALLED_LOCK = NODE_MODULES / ".package-lock.json"


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        message = f"the interoperability tests need {program} (Node.js 18.17 or newer)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _installed_packages_are_current() -> bool:
    if not INSTALLED_LOCK.is_file():
        return False
    wanted = json.loads((HERE / "package-lock.json").read_text())["packages"]
    installed = json.loads(INSTALLED_LOCK.read_text())["packages"]
    return {name: spec.get("version") for name, spec in wanted.items() if name} == {
        name: spec.get("version") for name, spec in installed.items()
    }


@pytest.fixture(scope="session")
def node_verifier(tmp_path_factory):
    """verify(credentials, documents) -> [{"verified": bool, "error": str}], one per credential.

    `documents` maps URLs to the JSON the issuer publishes there (our controller document);
    the verifier resolves nothing else but the JSON-LD contexts it bundles.
    """
    node = _require("node")
    npm = _require("npm")
    # `make test` runs its SQLite and PostgreSQL passes side by side: one installs, the other
    # waits for it (`npm ci` first empties node_modules).
    with open(HERE / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed_packages_are_current():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=HERE,
                check=True,
                timeout=600,
            )
    directory = tmp_path_factory.mktemp("interop")

    def verify(credentials: list[dict], documents: dict[str, dict]) -> list[dict]:
        request = directory / "input.json"
        request.write_text(json.dumps({"credentials": credentials, "documents": documents}))
        completed = subprocess.run(
            [node, str(HERE / "verify.mjs"), str(request)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)

    return verify
