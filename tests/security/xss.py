"""The XSS corpus and how a browser is watched for a payload that runs: shared by
test_xss_browser.py. Each payload calls alert(n) or loads from the planted host 127.0.0.1:9
(where nothing listens), n being its own number, so a report names the payload."""

import base64
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

PLANTED_HOST = "127.0.0.1:9"
# {n} is the payload's number, {url} a planted address of its own, {b64} a base64 <script>.
TEMPLATES = [
    "<script>alert({n})</script>",
    "<SCRIPT SRC={url}.js></SCRIPT>",
    "<script>fetch('{url}')</script>",
    '"><script>alert({n})</script>',
    "'><script>alert({n})</script>",
    "</title><script>alert({n})</script>",
    "</textarea><script>alert({n})</script>",
    "</script><script>alert({n})</script>",
    "<<script>script>alert({n})<</script>/script>",
    "<scr<script>ipt>alert({n})</scr</script>ipt>",
    '"><img src=x onerror=alert({n})>',
    "<img src=x onerror=alert({n})>",
    '<img src="{url}">',
    "<img/src=x/oNeRrOr=alert({n})>",
    '<img src=x onerror="&#97;lert({n})">',
    "<img src=x onerror=alert&lpar;{n}&rpar;>",
    '<img srcset="{url} 1x">',
    "</p><img src=x onerror=alert({n})><p>",
    "<svg onload=alert({n})>",
    "<svg/onload=alert({n})>",
    "<svg><script>alert({n})</script></svg>",
    "<svg><animate onbegin=alert({n}) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert({n})"><text y=20>x</text></a></svg>',
    "<svg><image href={url} /></svg>",
    "<body onload=alert({n})>",
    "<input autofocus onfocus=alert({n})>",
    "<details open ontoggle=alert({n})>",
    "<video><source onerror=alert({n})></video>",
    "<audio src=x onerror=alert({n})>",
    "<marquee onstart=alert({n})>x</marquee>",
    "<x onmouseover=alert({n})>hover me</x>",
    '"onmouseover="alert({n})',
    "' onfocus='alert({n})' autofocus='",
    '<iframe src="javascript:alert({n})"></iframe>',
    '<iframe srcdoc="<script>alert({n})</script>"></iframe>',
    '<a href="javascript:alert({n})">click</a>',
    '<a href="JaVaScRiPt:alert({n})">click</a>',
    '<a href="  javascript:alert({n})">click</a>',
    '<a href="&#106;avascript:alert({n})">click</a>',
    '<a href="java\tscript:alert({n})">click</a>',
    '<a href="data:text/html;base64,{b64}">click</a>',
    '<object data="data:text/html,<script>alert({n})</script>"></object>',
    '<embed src="data:text/html;base64,{b64}">',
    '<form action="javascript:alert({n})"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert({n})">',
    '<base href="http://127.0.0.1:9/planted-{n}/">',
    "<link rel=stylesheet href={url}.css>",
    "<style>@import '{url}.css';</style>",
    '<div style="background:url({url})">x</div>',
    '<div style="width:expression(alert({n}))">x</div>',
    '<div style="background-image:url(javascript:alert({n}))">x</div>',
    '<table background="javascript:alert({n})"><tr><td>x</td></tr></table>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>",
    '<noscript><p title="</noscript><img src=x onerror=alert({n})>">',
    '<!--<img src="--><img src=x onerror=alert({n})//">',
    "<![CDATA[<script>alert({n})</script>]]>",
    "javascript:alert({n})",
    "data:text/html,<script>alert({n})</script>",
    "${alert({n})}",
    "`;alert({n});`",
    "{{constructor.constructor('alert({n})')()}}",
    "';alert({n});//",
    '\\";alert({n});//',
    "&lt;script&gt;alert({n})&lt;/script&gt;",
    "%3Cscript%3Ealert({n})%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert({n})\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert({n})\uff1c/script\uff1e",
    "\u202e>tpircs/<;)({n})trela>tpircs<\u202c",
    "\u2028alert({n})\u2029 <scr\u0130pt>alert({n})</scr\u0130pt> <\u017fcript>alert({n})</script>",
]


def _payload(n, template):
    b64 = base64.b64encode(f"<script>alert({n})</script>".encode()).decode()
    url = f"http://{PLANTED_HOST}/planted-{n}"
    return template.replace("{url}", url).replace("{b64}", b64).replace("{n}", str(n))


PAYLOADS = [_payload(n, template) for n, template in enumerate(TEMPLATES, 1)]

# What the DOM may not contain once a page has loaded; returns a description of each finding.
DOM_AUDIT = r"""() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                         "background", "poster", "srcset", "cite"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    const embedding = ["iframe", "frame", "object", "embed", "base", "applet"];
    if (embedding.includes(tag)) found.push(`<${tag}>`);
    if (tag === "meta" && el.httpEquiv) found.push("<meta http-equiv>");
    if (tag === "script") {
      const src = el.getAttribute("src") || "";
      const sameSite = /^\/[^\/]/.test(src);
      const known = ["application/ld+json", "importmap"].includes(el.type) || sameSite;
      if (!known) found.push("script: " + el.outerHTML.slice(0, 80));
      if (el.type === "application/ld+json") {
        try { JSON.parse(el.textContent); } catch (e) { found.push("JSON-LD broken: " + e); }
      }
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\s\u0000-\u0020]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${tag} ${name}=${attribute.value.slice(0, 40)}`);
      if (name === "srcdoc") found.push(`${tag} srcdoc`);
      if (urlAttributes.includes(name) && /^(javascript:|vbscript:|data:text\/html)/.test(value))
        found.push(`${tag} ${name}=${attribute.value.slice(0, 40)}`);
      if (name === "style" && /expression\(|javascript:|planted-/.test(value))
        found.push(`${tag} style`);
    }
  }
  return found;
}"""


class Browser:
    """One tab that records every dialog and every request to the planted host."""

    def __init__(self, context, base_url):
        self.base_url = base_url
        self.page = context.new_page()
        self.dialogs, self.planted, self.findings = [], [], []
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}({dialog.message}) on {self.page.url}")
        dialog.dismiss()

    def _request(self, request):
        # Nothing listens on port 9, so these fail at once; no route is needed (and routing
        # would slow every request down).
        if urlsplit(request.url).netloc == PLANTED_HOST:
            self.planted.append(f"{request.url} from {self.page.url}")

    def visit(self, path, statuses=(200,)):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response.status in statuses, f"{path}: {response.status}"
        self.audit(path)

    def audit(self, where):
        self.findings += [f"{where}: {finding}" for finding in self.page.evaluate(DOM_AUDIT)]

    def assert_nothing_ran(self):
        self.page.wait_for_timeout(300)  # handlers that fire a moment after load (animations)
        assert self.dialogs == [], self.dialogs
        assert self.planted == [], self.planted
        assert self.findings == [], self.findings


ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "a", "ul", "ol", "li",
                "blockquote", "hr", "mark"}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ("href", "title", "rel") or tag != "a":
                self.problems.append(f"<{tag} {name}>")
            elif name == "href" and not re.match(r"(https?|mailto|tel):", value or ""):
                self.problems.append(f"<a href={value!r}>")

    handle_startendtag = handle_starttag


def assert_sanitized(html, where="body"):
    """Only the editor's tags, links with safe schemes, no event handlers, no scripts."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], f"{where}: {parser.problems}"
