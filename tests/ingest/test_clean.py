from ingest.clean import clean_text, html_to_fields, markdown_to_text, title_from_text


def test_trailing_nav_line_and_extra_whitespace_are_not_article_text() -> None:
    raw = (
        "Headline\r\n\r\n\r\nFirst  paragraph.\u00a0Still first.\n\nLast line.\n\n"
        "Exit mobile version\n"
    )
    assert clean_text(raw) == "Headline\n\nFirst paragraph. Still first.\n\nLast line."


def test_boilerplate_only_matches_whole_lines() -> None:
    text = "Officials read more reports.\nAdvertisement\nThe exit mobile version was fine."
    assert clean_text(text) == "Officials read more reports.\nThe exit mobile version was fine."


def test_markdown_heading_links_and_emphasis_become_plain_text() -> None:
    md = "# Bridge opens\n\nThe **mayor** opened the [bridge](https://x.org/b) on _Monday_."
    assert markdown_to_text(md) == "Bridge opens\n\nThe mayor opened the bridge on Monday."


def test_title_is_the_first_short_line() -> None:
    assert title_from_text("Bridge opens\n\nBody.") == "Bridge opens"
    assert title_from_text("x" * 300) == ""


def test_html_main_text_and_metadata() -> None:
    html = """<html><head><title>Bridge opens - The Daily</title>
    <meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2023-02-12">
    <link rel="canonical" href="https://example.org/bridge"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Bridge opens</h1>
    <p>The mayor, Dr. Ann Lee, opened the bridge on Monday. It cost 5 million dollars.</p>
    <p>Residents cheered the opening of the new bridge across the river.</p></article>
    <footer>Exit mobile version</footer></body></html>"""
    fields = html_to_fields(html)
    assert fields is not None
    assert fields.title == "Bridge opens"
    assert fields.author == "Jane Roe"
    assert fields.published == "2023-02-12"
    assert fields.url == "https://example.org/bridge"
    assert "Dr. Ann Lee, opened the bridge on Monday." in fields.text
    assert "Home | World" not in fields.text
    assert "\n\nResidents cheered" in fields.text


def test_html_without_text_gives_none() -> None:
    assert html_to_fields("<html><body></body></html>") is None
