"""Uploaded files never reach the disk unencrypted: they stay in memory until a service encrypts them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory


@pytest.fixture
def temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_file_as_big_as_a_request_may_be_stays_in_memory(temporary_directory: Path) -> None:
    size = settings.MAX_REQUEST_BYTES - 64 * 1024  # room for the form's own bytes
    upload = SimpleUploadedFile("return.csv", b"x" * size, content_type="text/csv")
    request = RequestFactory().post("/", {"file": upload})

    received = request.FILES["file"]

    assert isinstance(received, InMemoryUploadedFile)
    assert received.size == size
    assert list(temporary_directory.iterdir()) == [], "nothing was written to a temporary file"
