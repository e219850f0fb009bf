from app.mail.rules import split_links


def test_links_in_a_message_become_separate_parts_without_trailing_punctuation():
    text = "Abre https://avala.example/invitations/a-b_c?x=1&y=2. Luego http://x.mx)"
    assert split_links(text) == [
        ("Abre ", False),
        ("https://avala.example/invitations/a-b_c?x=1&y=2", True),
        (". Luego ", False),
        ("http://x.mx", True),
        (")", False),
    ]


def test_text_without_links_is_one_part():
    assert split_links("Hola, <b>Ana</b>") == [("Hola, <b>Ana</b>", False)]
    assert split_links("") == []
