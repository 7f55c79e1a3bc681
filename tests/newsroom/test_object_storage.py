"""Uploads and renditions in an S3-compatible object store, as app servers on several machines
share them: a real S3 server (moto's server mode) on loopback, reached over HTTP by boto3.

The storage comes from newsroom/settings.py itself, read with the AWS_* variables set, so these
tests cover the settings block production uses, not a copy of it.
"""

import contextlib
import datetime
import hashlib
import json
import os
import runpy
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from storages.backends.s3 import S3Storage

from press import renditions
from press.models import Release, ReleaseImage, Rendition
from tests.factories import form_data, make_image_file, make_release
from tests.markup import elements
from tests.pages import get_page
from tests.servers import free_port

BUCKET = "newsroom-media"
URL = "/releases/2021/09/23/cities-join-forces-on-heat/"
PUBLIC_READ = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": f"arn:aws:s3:::{BUCKET}/*",
}]}  # fmt: skip
UNREADABLE = (
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)


@pytest.fixture(scope="module")
def endpoint():
    """The URL of a moto S3 server in its own process, with BUCKET in it, readable by anyone
    as pages need (README: Deploying on several machines)."""
    url = f"http://127.0.0.1:{free_port()}"
    command = [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1"]
    # Its request log goes to a file: a pipe nobody reads would fill up and stall the server.
    with tempfile.TemporaryFile() as log:
        try:
            server = subprocess.Popen([*command, "-p", url.rsplit(":", 1)[1]], stderr=log)
        except OSError as error:
            pytest.skip(f"moto_server could not start ({error}); install moto[server]")
        try:  # stopped however this ends: a skip, a failure, or the module done
            deadline = time.monotonic() + 30
            while not answers(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.skip(f"moto_server did not answer on {url}: {log.read()[-500:]!r}")
                time.sleep(0.1)
            client = s3_client(url)
            client.create_bucket(Bucket=BUCKET)
            client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def s3_client(url):
    return boto3.client(
        "s3", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip


def answers(url):
    with contextlib.suppress(OSError), urllib.request.urlopen(url + "/moto-api/", timeout=1):
        return True
    return False


@pytest.fixture
def bucket(endpoint, settings, monkeypatch):
    """BUCKET, emptied, as Django's default storage: STORAGES["default"] as newsroom/settings.py
    builds it from the environment of an app server, credentials read from there too."""
    unset = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_S3_CUSTOM_DOMAIN", "AWS_QUERYSTRING_AUTH")
    for name in unset:
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    configured = runpy.run_path(str(django_settings.BASE_DIR / "newsroom" / "settings.py"))
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    settings.PAGE_CACHE_SECONDS = 0  # every request renders; the page cache is tested elsewhere
    client = s3_client(endpoint)
    for key in keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    return client


def keys(client):
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def live_release():
    """The release at URL, with a 2000 x 1000 JPEG drawn by Pillow as its featured image."""
    return make_release(
        "Cities join forces on heat",
        published_at=datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC),
        featured_image=make_image_file("heat.jpg", size=(2000, 1000)),
        featured_image_alt="Mayors on a hot street",
    )


def made(ext):
    """The (storage name, width) of each rendition press.renditions makes of the live release's
    2000px featured image, releases/heat.jpg, in the format with extension `ext`."""
    digest = hashlib.sha256(b"releases/heat.jpg").hexdigest()[:20]
    return [(f"renditions/{digest}-{width}.{ext}", width) for width in (480, 960, 1600)]


def test_switching_storages_reaches_every_image_field_and_the_rendition_maker(bucket, endpoint):
    assert isinstance(default_storage, S3Storage)
    assert (default_storage.bucket_name, default_storage.endpoint_url) == (BUCKET, endpoint)
    # All of them hold Django's lazy proxy, not the storage of import time, so the switch (and
    # the reset after each test) reaches them.
    fields = [(Release, "featured_image"), (ReleaseImage, "image"), (Rendition, "file")]
    assert {m._meta.get_field(name).storage for m, name in fields} == {default_storage}
    assert renditions.default_storage is default_storage


@pytest.mark.django_db
def test_saving_a_release_puts_its_featured_image_in_the_bucket(bucket):
    release = live_release()
    assert release.featured_image.name == "releases/heat.jpg"
    assert keys(bucket) == ["releases/heat.jpg"]
    stored = bucket.get_object(Bucket=BUCKET, Key="releases/heat.jpg")["Body"].read()
    assert stored[:3] == b"\xff\xd8\xff"  # the JPEG itself, not a placeholder


@pytest.mark.django_db
def test_the_release_page_makes_renditions_in_the_bucket_and_links_to_them(
    bucket, endpoint, client
):
    live_release()
    page = get_page(client, URL)
    jpeg, webp = made("jpg"), made("webp")
    # The 1200 x 630 crop for link previews is stored beside the renditions.
    [share] = [name for name in keys(bucket) if name.endswith("-share.jpg")]
    assert keys(bucket) == sorted(["releases/heat.jpg", share] + [n for n, _ in jpeg + webp])
    base = f"{endpoint}/{BUCKET}/"

    def srcset(renditions):
        return ", ".join(f"{base}{name} {width}w" for name, width in renditions)

    assert elements(page, "source") == [
        {"type": "image/webp", "srcset": srcset(webp), "sizes": "(min-width: 56rem) 45rem, 100vw"}
    ]
    [img] = [tag for tag in elements(page, "img") if tag.get("alt") == "Mayors on a hot street"]
    assert (img["src"], img["srcset"]) == (base + jpeg[-1][0], srcset(jpeg))
    # Link previews name the share crop in the store, as it is: already absolute.
    og_image = [tag for tag in elements(page, "meta") if tag.get("property") == "og:image"]
    assert og_image == [{"property": "og:image", "content": f"{base}{share}"}]
    # A reader's browser fetches the rendition from the object store, not from the app server.
    with urllib.request.urlopen(img["src"], timeout=5) as response:
        assert response.read()[:3] == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_a_second_render_stores_nothing_and_reads_renditions_in_one_query(bucket, client, settings):
    settings.SHARED_CACHE = False  # rendered again, not shown from a kept part
    live_release()
    sent = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-send.s3", lambda request, **_: sent.append(request.method))
    get_page(client, URL)
    assert sent.count("PUT") == 7  # the renditions and the share crop, by the first render
    stored, sent[:] = keys(bucket), []
    with CaptureQueriesContext(connection) as queries:
        get_page(client, URL)
    assert keys(bucket) == stored
    assert sent == []  # URLs are built, not looked up: no round trip to the object store
    # renditions_for_each's one query and the share crop's, as on local disk
    reads = [q["sql"] for q in queries if "press_rendition" in q["sql"]]
    assert len(reads) == 2 and all(sql.startswith("SELECT") for sql in reads)
    assert Rendition.objects.count() == 7


@pytest.mark.django_db
def test_an_upload_the_admin_refuses_writes_nothing_to_the_bucket(bucket, admin_client):
    release = make_release("Cities join forces on heat")
    url = f"/admin/press/release/{release.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), featured_image_alt="A photo")
    html = b"<!doctype html><title>Photo</title><script>alert(1)</script>"
    data["featured_image"] = SimpleUploadedFile("photo.jpg", html, content_type="image/jpeg")
    response = admin_client.post(url, data)
    assert response.context["adminform"].form.errors == {"featured_image": [UNREADABLE]}
    release.refresh_from_db()
    assert not release.featured_image
    assert keys(bucket) == []
