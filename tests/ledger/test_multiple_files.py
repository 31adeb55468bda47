"""Every upload form's file limit lives in its field: more files than allowed is one Chinese error."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.ledger.forms import MultipleFileField

pytestmark = pytest.mark.nodb


def _files(n: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(n)]


def test_up_to_the_limit_passes_and_one_more_is_refused() -> None:
    field = MultipleFileField(required=False, max_files=2)
    assert len(field.clean(_files(2))) == 2
    with pytest.raises(forms.ValidationError, match="一次最多上传 2 个附件"):
        field.clean(_files(3))
    assert field.clean([]) == []
