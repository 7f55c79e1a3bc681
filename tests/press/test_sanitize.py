"""What survives `clean_html`: the editor's formatting exactly, pasted Word and Google Docs as
plain structure, and nothing that can run.

Pure functions, no database: run alone with `pytest tests/press/test_sanitize.py -p no:django`.
"""

import re
from html.parser import HTMLParser

import pytest

from press.sanitize import clean_html

# What the toolbar can make, written out here rather than imported, so that widening the
# sanitizer's allow-list shows up as a failing test.
EDITOR_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "hr",
}  # fmt: skip
LINK_ATTRIBUTES = {"href", "title", "rel"}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# A literal "<" in text is always escaped to &lt;, so any of these in the output is a real tag.
FORBIDDEN_OPENERS = [
    "<script", "<iframe", "<object", "<embed", "<style", "<svg", "<math", "<link", "<meta",
    "<base", "<form", "<img", "<input", "<button",
]  # fmt: skip


class Markup(HTMLParser):
    """Every tag, attribute and non-text token in a fragment, as a browser-like parser sees it."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.start_tags = []
        self.end_tags = []
        self.other = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")


def url_scheme(url):
    """The scheme a browser would use for `url`, or None for a relative one. Browsers trim
    surrounding spaces and control characters and ignore tabs and newlines anywhere."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


def assert_inert(html):
    """`html` can run nothing: only the editor's tags, attributes only on links (href and title,
    plus the rel the sanitizer adds), and every href http(s), mailto, tel or relative."""
    lowered = html.lower()
    for opener in FORBIDDEN_OPENERS:
        assert opener not in lowered, f"{opener} in {html!r}"

    markup = Markup(html)
    assert markup.other == [], f"comments or declarations left in {html!r}"
    assert {tag for tag, _ in markup.start_tags} <= EDITOR_TAGS, html
    assert set(markup.end_tags) <= EDITOR_TAGS, html
    for tag, attrs in markup.start_tags:
        names = [name for name, _ in attrs]
        if tag != "a":
            assert names == [], f"<{tag}> keeps {names} in {html!r}"
            continue
        assert set(names) <= LINK_ATTRIBUTES, f"<a> keeps {names} in {html!r}"
        values = dict(attrs)
        assert values.get("rel") == "noopener noreferrer", html
        href = values.get("href")
        if href is not None:
            assert url_scheme(href) in LINK_SCHEMES | {None}, f"href {href!r} in {html!r}"
            squashed = re.sub(r"\s", "", href).lower()
            for scheme in ("javascript:", "vbscript:", "data:"):
                assert scheme not in squashed, f"href {href!r} in {html!r}"


XSS = [
    # <script>, however it is spelled.
    ("script", "<script>alert(1)</script>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-nested-broken", "<scr<script>ipt>alert(1)</script>"),
    ("script-nested-both-ends", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-doubled-brackets", "<<script>script>alert(1)<</script>/script>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-unclosed", "<p>Hello<script>alert(1)"),
    # Event handlers.
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("body-onload", "<body onload=alert(1)><p>text</p></body>"),
    ("p-onmouseover", '<p onmouseover="alert(1)">hover me</p>'),
    ("input-autofocus-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("a-onclick", '<a href="https://example.org/" onclick="alert(1)">x</a>'),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("slash-as-separator", "<p/onmouseover=alert(1)>x</p>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    # javascript: URLs.
    ("javascript-url", '<a href="javascript:alert(1)">x</a>'),
    ("javascript-mixed-case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("javascript-decimal-entity", '<a href="&#106;avascript:alert(1)">x</a>'),
    (
        "javascript-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;'
        'alert(1)">x</a>',
    ),
    (
        "javascript-padded-entities-no-semicolons",
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">x</a>',
    ),
    ("javascript-colon-entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("javascript-tab-entity", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("javascript-tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("javascript-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("javascript-leading-spaces", '<a href="   javascript:alert(1)">x</a>'),
    ("javascript-leading-control", '<a href="\x01javascript:alert(1)">x</a>'),
    # Other schemes that run or render documents.
    (
        "data-text-html",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    ),
    ("data-svg-img", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    ("vbscript-url", '<a href="vbscript:msgbox(1)">x</a>'),
    # Embedded documents and plugins.
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-javascript", "<iframe src=javascript:alert(1)><script>alert(1)</script></iframe>"),
    ("object", '<object data="javascript:alert(1)"><param name=x value=y></object>'),
    ("embed", '<embed src="data:text/html,<script>alert(1)</script>">'),
    # SVG and MathML.
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    (
        "svg-xlink-href",
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    ),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("svg-style-mxss", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    ("math-mglyph-style-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">'
        "x</maction></math>",
    ),
    # Styles.
    ("style-block-url", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("style-block-import", '<style>@import "https://evil.example/x.css";</style>'),
    ("style-attr-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("style-attr-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    # Document-level tags.
    ("link-stylesheet", '<link rel="stylesheet" href="javascript:alert(1)">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="https://evil.example/">'),
    # Forms.
    ("form-action", '<form action="javascript:alert(1)"><button>Go</button></form>'),
    ("button-formaction", '<form><button formaction="javascript:alert(1)">Go</button></form>'),
    (
        "a-target-formaction",
        '<a href="https://example.org/" target="_blank" formaction="javascript:alert(1)">x</a>',
    ),
    # Unicode look-alikes and invisible characters.
    ("fullwidth-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("zero-width-in-tag", "<scr\u200bipt>alert(1)</scr\u200bipt>"),
    ("zero-width-in-scheme", '<a href="java\u200bscript:alert(1)">x</a>'),
    ("rtl-override", '<a href="https://example.org/\u202egnp.exe">invoice\u202efdp.exe</a>'),
    # Comments and CDATA.
    ("comment-hiding-script", "<!--<script>alert(1)</script>-->"),
    ("comment-abruptly-closed", "<!--><script>alert(1)</script>-->"),
    ("comment-bang-close", "<!-- --!><script>alert(1)</script> -->"),
    ("conditional-comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("cdata-in-svg", "<svg><![CDATA[<script>alert(1)</script>]]></svg>"),
    # Raw-text elements whose content a careless parser reads as markup.
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("template", "<template><script>alert(1)</script></template>"),
    ("textarea", "<textarea><script>alert(1)</script></textarea>"),
    # Template syntax: the body is output as HTML, never rendered as a template.
    ("django-template", "<p>{{ request.user.password }}{% debug %}</p>"),
    # Breaking out of attribute quotes.
    (
        "quote-break-title",
        '<a title=\'"><script>alert(1)</script>\' href="https://example.org/">x</a>',
    ),
    ("quote-break-entity", '<a title="x&quot; onmouseover=&quot;alert(1)" href="/x">x</a>'),
    ("quote-break-unquoted", '<a href=https://example.org/ onmouseover=alert(1)//">x</a>'),
    ("quote-break-img", '<img """><script>alert(1)</script>">'),
]


@pytest.mark.parametrize("payload", [payload for _, payload in XSS], ids=[id for id, _ in XSS])
def test_payload_comes_out_inert(payload):
    assert_inert(clean_html(payload))


def test_the_corpus_covers_at_least_forty_payloads():
    assert len(XSS) >= 40
    assert len({id for id, _ in XSS}) == len(XSS)


def test_assert_inert_catches_what_it_is_meant_to():
    for leak in [
        "<script>alert(1)</script>",
        '<p onclick="alert(1)">x</p>',
        '<p style="color:red">x</p>',
        '<a href="javascript:alert(1)" rel="noopener noreferrer">x</a>',
        '<a href=" java\tscript:alert(1)" rel="noopener noreferrer">x</a>',
        '<a href="https://example.org/">missing rel</a>',
        "<div>x</div>",
        "<!-- x -->",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(leak)


def test_template_syntax_stays_as_literal_text():
    html = "<p>{{ request.user.password }} {% debug %}</p>"

    assert clean_html(html) == html


def test_script_is_dropped_with_its_content():
    assert clean_html("<p>Before</p><script>alert(1)</script><p>After</p>") == (
        "<p>Before</p><p>After</p>"
    )


def test_raw_text_elements_are_dropped_rather_than_printed_as_literal_markup():
    html = (
        "<p>Kept</p><iframe><script>alert(1)</script></iframe><noembed><b>x</b></noembed>"
        "<textarea><p>typed</p></textarea><title>Document</title>"
    )

    assert clean_html(html) == "<p>Kept</p>"


def test_editor_formatting_survives_exactly():
    html = (
        "<h2>Heading two</h2><h3>Heading three</h3><h4>Heading four</h4>"
        "<p>Some <strong>bold</strong>, <em>italic</em>, <u>underlined</u> and <s>struck</s> "
        "text.<br>A second line.</p>"
        "<ul><li><p>One</p></li><li><p>Two</p></li></ul>"
        "<ol><li><p>First</p></li></ol>"
        "<blockquote><p>A quotation.</p></blockquote>"
        "<hr>"
        "<p>The end.</p>"
    )

    assert clean_html(html) == html


@pytest.mark.parametrize(
    "href",
    ["https://example.org/news?id=1&amp;lang=en", "http://example.org/", "mailto:press@example.org"]
    + ["tel:+49301234567", "/releases/2026/03/", "#contacts"],
)
def test_link_keeps_its_address_and_gets_rel(href):
    html = f'<p><a href="{href}" title="More">link</a></p>'

    assert clean_html(html) == (
        f'<p><a href="{href}" title="More" rel="noopener noreferrer">link</a></p>'
    )


def test_link_target_and_editor_rel_are_replaced_by_ours():
    html = '<a href="https://example.org/" target="_blank" rel="nofollow" class="x">link</a>'

    assert clean_html(html) == '<a href="https://example.org/" rel="noopener noreferrer">link</a>'


def test_b_and_i_are_unwrapped_because_the_editor_makes_strong_and_em():
    assert clean_html("<p><b>bold</b> and <i>italic</i></p>") == "<p>bold and italic</p>"


@pytest.mark.parametrize("empty", ["", None])
def test_empty_body_stays_empty(empty):
    assert clean_html(empty) == ""


def test_a_paste_of_only_markup_and_metadata_is_empty():
    assert clean_html("\n<meta charset='utf-8'><style>p{}</style>\n<!-- x -->\n") == ""


# What Word 365 for Windows puts on the clipboard for one paragraph, trimmed a little.
WORD_PASTE = """\
<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List
href="file:///C:/Users/press/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings>
  <o:AllowPNG/>
 </o:OfficeDocumentSettings>
</xml><![endif]-->
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Normal</w:View>
  <w:Zoom>0</w:Zoom>
  <w:TrackMoves/>
  <w:TrackFormatting/>
  <w:SaveIfXMLInvalid>false</w:SaveIfXMLInvalid>
  <w:LidThemeOther>EN-US</w:LidThemeOther>
 </w:WordDocument>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0in;
	font-size:12.0pt;
	font-family:"Calibri",sans-serif;}
-->
</style>
</head>

<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>
<!--StartFragment-->

<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><span lang=EN-US
style='font-size:11.0pt;mso-ansi-language:EN-US;mso-fareast-language:EN-GB'>text<o:p></o:p></span></p>

<!--EndFragment-->
</body>

</html>
"""


def test_pasted_word_document_becomes_a_plain_paragraph():
    assert clean_html(WORD_PASTE) == "<p>text</p>"


def test_word_settings_outside_a_conditional_comment_leave_no_text():
    html = (
        "<xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom>"
        "<w:LidThemeOther>EN-US</w:LidThemeOther></w:WordDocument></xml>"
        "<p class=MsoNormal><span lang=EN-US style='mso-bidi-font-weight:bold'>text<o:p></o:p>"
        "</span></p>"
    )

    assert clean_html(html) == "<p>text</p>"


# What Google Docs puts on the clipboard: the whole paste wrapped in a <b> that is *not* bold,
# and bold, italic and links expressed as inline styles on spans.
GOOGLE_DOCS_SPAN = (
    "font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;"
    "font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;"
    "white-space:pre-wrap;"
)
GOOGLE_DOCS_PASTE = (
    '<meta charset="utf-8">'
    '<b style="font-weight:normal;" id="docs-internal-guid-4c1e2d7a-7fff-1b2c-9a3e-5f0d2c8e1a44">'
    '<h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;">'
    f'<span style="font-size:16pt;{GOOGLE_DOCS_SPAN}font-weight:400;">City opens new library</span>'
    "</h2>"
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;">'
    f'<span style="{GOOGLE_DOCS_SPAN}font-weight:700;font-style:normal;">Seoul, 3 March.</span>'
    f'<span style="{GOOGLE_DOCS_SPAN}font-weight:400;font-style:italic;"> The library opens</span>'
    f'<span style="{GOOGLE_DOCS_SPAN}font-weight:400;font-style:normal;"> on Monday; see </span>'
    '<a href="https://example.org/library" style="text-decoration:none;">'
    f'<span style="{GOOGLE_DOCS_SPAN}color:#1155cc;text-decoration:underline;">the site</span></a>'
    f'<span style="{GOOGLE_DOCS_SPAN}">.</span></p>'
    '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
    '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1">'
    '<p dir="ltr" style="line-height:1.38;" role="presentation">'
    f'<span style="{GOOGLE_DOCS_SPAN}">Free entry</span></p></li></ul>'
    "</b>"
    '<br class="Apple-interchange-newline">'
)


def test_pasted_google_docs_become_plain_structure_without_the_bold_wrapper():
    """The not-bold <b> wrapper is unwrapped, not kept and not turned into <strong>. Bold and
    italic that Google Docs writes as inline styles become plain text here: the server reads no
    styles, and the editor turns them into <strong> and <em> when the paste happens in it."""
    assert clean_html(GOOGLE_DOCS_PASTE) == (
        "<h2>City opens new library</h2>"
        "<p>Seoul, 3 March. The library opens on Monday; see "
        '<a href="https://example.org/library" rel="noopener noreferrer">the site</a>.</p>'
        "<ul><li><p>Free entry</p></li></ul>"
        "<br>"
    )
