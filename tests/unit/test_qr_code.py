import re

import qrcode

from app.certificates.rendering import dark_runs, make_qr_svg

URL = "https://avala.example.mx/v/3q2-7wEvGZ0pYhBf1cRk9A"


def test_dark_runs_are_the_consecutive_dark_modules_of_a_row():
    assert dark_runs([False, True, True, False, True]) == [(1, 2), (4, 1)]
    assert dark_runs([True, True, True]) == [(0, 3)]
    assert dark_runs([False, False]) == []


def _modules_drawn(svg: str) -> set[tuple[int, int]]:
    [path] = re.findall(r'<path d="([^"]+)"', svg)
    drawn = set()
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        drawn |= {(int(x) + dx, int(y)) for dx in range(int(width))}
    assert path == "".join(re.findall(r"M\d+ \d+h(?:\d+)v1h-\d+z", path)), "unexpected commands"
    return drawn


def test_qr_svg_draws_exactly_the_dark_modules_of_the_code_with_its_quiet_zone():
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(URL)
    code.make(fit=True)
    matrix = code.get_matrix()
    dark = {(x, y) for y, row in enumerate(matrix) for x, is_dark in enumerate(row) if is_dark}

    svg = make_qr_svg(URL)

    assert _modules_drawn(svg) == dark
    size = len(matrix)
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert min(x for x, _ in dark) == 4 and min(y for _, y in dark) == 4  # quiet zone kept
