"""The organization's brand, set in the admin: /admin/core/sitesettings/ (one record, no list)."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.brand import contrast_ratio, lightened_for_dark, lowest_contrast
from core.models import SETTINGS_KEY, SiteSettings
from tests.factories import make_image_file, make_release, make_topic, make_user
from tests.pages import get_page

pytestmark = pytest.mark.django_db

URL = "/admin/core/sitesettings/"
FORM = {
    "organization_name": "City of Example",
    "show_name_with_logo": "on",
    "typeface": "system",
    "primary_colour": "#083f77",
    "accent_colour": "#0b5cad",
    "primary_colour_dark": "",
    "accent_colour_dark": "",
    "footer_text": "",
    "linkedin_url": "",
    "bluesky_url": "",
    "mastodon_url": "",
    "instagram_url": "",
    "youtube_url": "",
    "facebook_url": "",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reader():
    """An anonymous reader (admin_client is the `client` fixture, signed in)."""
    return Client()


def field_errors(response):
    """{field name: [messages]} of the admin form as shown again."""
    form = response.context["adminform"].form
    return {name: list(errors) for name, errors in form.errors.items()}


def save(admin_client, **changes):
    return admin_client.post(URL, {**FORM, **changes})


# Contrast


def test_contrast_ratios_are_those_wcag_gives():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    # The two greys either side of AA on white, as every contrast checker reports them.
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_a_primary_colour_too_faint_on_the_light_background_is_refused_with_its_ratio(
    admin_client,
):
    response = save(admin_client, primary_colour="#7FA7D9")

    ratio, background = lowest_contrast("#7fa7d9", ("#ffffff", "#f3f5f8"))
    assert round(ratio, 2) == 2.28
    assert field_errors(response) == {
        "primary_colour": [
            f"#7fa7d9 has a contrast ratio of 2.28:1 against the light background {background}; "
            "text needs at least 4.5:1 (WCAG AA). Choose a darker colour."
        ]
    }
    assert SiteSettings.objects.current().primary_colour == "#083f77"  # as it was


def test_a_grey_that_passes_on_white_but_not_on_the_soft_panels_is_refused(admin_client):
    response = save(admin_client, accent_colour="#767676")

    (message,) = field_errors(response)["accent_colour"]
    assert re.match(
        r"#767676 has a contrast ratio of 4\.\d\d:1 against the light background", message
    )
    assert "#f3f5f8" in message


def test_a_dark_theme_colour_too_dark_on_the_dark_background_is_refused_with_its_ratio(
    admin_client,
):
    response = save(admin_client, accent_colour_dark="#0b5cad")

    (message,) = field_errors(response)["accent_colour_dark"]
    ratio, background = lowest_contrast("#0b5cad", ("#15161c", "#1f2029"))
    assert message.startswith(
        f"#0b5cad has a contrast ratio of {int(ratio * 100) / 100:.2f}:1 against the dark "
        f"background {background}"
    )
    assert message.endswith("Choose a lighter colour.")


def test_colours_that_pass_are_saved_and_carried_by_css_custom_properties(admin_client, reader):
    response = save(admin_client, primary_colour="#006b5e", accent_colour_dark="#9ecbff")
    assert response.status_code == 302

    page = get_page(reader, "/")
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert ":root{--brand:#006b5e;--accent:#0b5cad;" in style
    light, dark = style.split("@media (prefers-color-scheme: dark)")
    assert f"--brand:{lightened_for_dark('#006b5e')};--accent:#9ecbff" in dark


def test_the_dark_theme_lightens_a_brand_colour_until_it_passes():
    for colour in ("#083f77", "#006b5e", "#000000", "#a4161a"):
        lighter = lightened_for_dark(colour)
        assert lowest_contrast(lighter, ("#15161c", "#1f2029"))[0] >= 4.5
        assert (
            lowest_contrast(colour, ("#ffffff", "#f3f5f8"))[0]
            > lowest_contrast(lighter, ("#ffffff", "#f3f5f8"))[0]
        )


# Logo and share image


def test_a_logo_that_is_not_an_image_is_refused(admin_client):
    text = SimpleUploadedFile("logo.png", b"just some text, not a picture", "image/png")

    response = save(admin_client, logo=text)

    assert field_errors(response) == {
        "logo": ["This file is not an image Pillow can read. Upload a PNG or WebP image."]
    }


def test_an_svg_logo_is_refused_with_the_reason(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = save(admin_client, logo=SimpleUploadedFile("logo.svg", svg, "image/svg+xml"))

    (message,) = field_errors(response)["logo"]
    assert message.startswith("SVG files are not accepted as the logo: an SVG can carry scripts")


def test_a_jpeg_logo_is_refused_as_only_png_and_webp_keep_a_transparent_background(
    admin_client,
):
    response = save(admin_client, logo=make_image_file("logo.jpg", size=(200, 80)))

    assert field_errors(response) == {
        "logo": ["This is a JPEG image; the logo must be a PNG or WebP image."]
    }


def test_a_png_logo_is_shown_in_the_header_and_the_admin_without_shifting(admin_client, reader):
    logo = make_image_file("mark.png", size=(240, 80), format="PNG")

    assert save(admin_client, logo=logo).status_code == 302

    brand = SiteSettings.objects.get()
    assert (brand.logo_width, brand.logo_height) == (240, 80)
    tag = f'<img class="site-logo" src="/media/{brand.logo.name}" alt="" width="120" height="40">'
    assert tag in get_page(reader, "/")
    admin_page = get_page(admin_client, "/admin/")
    assert f'src="/media/{brand.logo.name}"' in admin_page
    assert re.search(r'<div id="site-name"><a [^>]*>.*City of Example</a></div>', admin_page)


def test_a_share_image_becomes_the_default_og_image(admin_client, reader):
    image = make_image_file("share.jpg", size=(1200, 630))

    assert save(admin_client, share_image=image).status_code == 302

    page = get_page(reader, "/")
    name = SiteSettings.objects.get().share_image.name
    assert f'<meta property="og:image" content="http://testserver/media/{name}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


# Name, typeface, footer


def test_without_settings_the_site_has_the_name_it_was_installed_with(client, settings):
    page = get_page(client, "/")

    assert re.findall(r'<a class="site-name" href="/"><span>(.*?)</span></a>', page) == [
        settings.NEWSROOM_NAME
    ]
    assert not SiteSettings.objects.exists()  # reading the settings never writes them


def test_the_admin_says_the_organizations_name(admin_client):
    save(admin_client)

    page = get_page(admin_client, "/admin/")

    assert "<title>Site administration | City of Example</title>" in page
    assert "Django administration" not in page


def test_a_typeface_is_served_from_this_site(admin_client, reader, settings):
    save(admin_client, typeface="source-sans-3")

    page = get_page(reader, "/")

    urls = re.findall(r'url\("([^"]+)"\) format\("woff2"\)', page)
    assert urls == [
        "/static/fonts/source-sans-3/source-sans-3-400.woff2",
        "/static/fonts/source-sans-3/source-sans-3-700.woff2",
    ]
    for url in urls:
        assert (settings.STATICFILES_DIRS[0] / url.removeprefix("/static/")).is_file()
    assert '--font:"Source Sans 3", system-ui' in page


def test_footer_text_and_social_links_are_shown_in_the_footer(admin_client, reader):
    save(
        admin_client,
        footer_text="City Hall, 1 Main Street",
        mastodon_url="https://mastodon.example/@city",
        linkedin_url="https://www.linkedin.com/company/city",
    )

    footer = get_page(reader, "/").split('<footer class="site-footer">')[1]

    assert "<p>City Hall, 1 Main Street</p>" in footer
    assert re.findall(r'<li><a href="([^"]+)"( rel="me")?>(\w+)</a></li>', footer) == [
        ("https://www.linkedin.com/company/city", "", "LinkedIn"),
        ("https://mastodon.example/@city", ' rel="me"', "Mastodon"),
    ]


# The page cache


def test_a_change_to_the_settings_empties_the_page_cache(
    admin_client, reader, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 60
    make_release("Cooling centres open")
    save(admin_client, organization_name="Before")
    assert "Before" in get_page(reader, "/")
    with django_assert_num_queries(0):  # served from the page cache
        assert "Before" in get_page(reader, "/")

    save(admin_client, organization_name="After")

    page = get_page(reader, "/")
    assert "<span>After</span>" in page
    assert "Before" not in page


def test_the_settings_are_read_once_until_they_are_saved_again(client, django_assert_num_queries):
    SiteSettings(organization_name="City of Example").save()
    get_page(client, "/search/")
    make_release("Cooling centres open")  # content changes: the settings stay cached
    with django_assert_num_queries(0):  # the empty search page makes no query of its own
        assert "City of Example" in get_page(client, "/search/")
    settings = SiteSettings.objects.get()
    settings.organization_name = "City of Elsewhere"
    settings.save()  # dropped from the cache every server shares
    with django_assert_num_queries(1):
        assert "City of Elsewhere" in get_page(client, "/search/")


# Who may change them


@pytest.mark.parametrize("group", ["Press officer", "Administrator"])
def test_a_press_officer_or_administrator_who_is_not_a_superuser_may_change_them(client, group):
    client.force_login(make_user("pat", group))

    response = client.post(URL, {**FORM, "organization_name": "City of Elsewhere"})

    assert response.status_code == 302
    assert SiteSettings.objects.current().name == "City of Elsewhere"


@pytest.mark.parametrize("group", ["Editor", "Contributor"])
def test_an_editor_or_contributor_may_not_see_or_change_them(client, group):
    client.force_login(make_user("erin", group))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {**FORM, "organization_name": "City of Elsewhere"}).status_code == 403
    assert not SiteSettings.objects.exists()


def test_a_page_reads_the_settings_once_however_often_it_shows_them(client, monkeypatch):
    """A topic page names the organization in its header, its title and both its feeds'
    titles: one look in the shared cache for the request, not one for each; the next request
    looks again (a save on another app server shows there at once)."""
    SiteSettings(organization_name="City of Example").save()
    make_release("Cooling centres open", topics=[make_topic("Extreme Heat")])
    looks = []
    real_get_many = cache.get_many

    def counted_get_many(keys, *args, **kwargs):
        # Read with the request's first look-up of a kept value (core.caching.read_ahead).
        looks.extend([SETTINGS_KEY] if SETTINGS_KEY in keys else [])
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted_get_many)
    for _ in range(2):
        page = get_page(client, "/topics/extreme-heat/")
        assert page.count("City of Example") >= 3
    assert looks == [SETTINGS_KEY, SETTINGS_KEY]
    assert SiteSettings.objects.current().organization_name == "City of Example"
    assert len(looks) == 3  # outside a request, read as asked
