"""The field macro: a checkbox without an error points at no error message (it used to say aria-describedby="None")."""
import re

from tests.factories import two_societies


def test_checkbox_without_error_has_no_describedby(client, session):
    two_societies()
    html = client.get("/s/a/apply/").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*id="front_line"[^>]*>', html).group(0)
    assert "aria-describedby" not in checkbox
    assert '="None"' not in html
