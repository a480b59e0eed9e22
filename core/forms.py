"""What every page form shares: the date widget, Bootstrap classes on every widget,
filter forms that show only the fields a page offers, and the one-time submission key."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from .idempotency import KEY_PATTERN, new_key

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = _("Semua")


def style(fields, *, compact: bool = False) -> None:
    """Bootstrap classes on the widgets of `fields` (a form's `fields`), so templates render
    every field with one include; `compact` for the small controls of filter bars."""
    size = " form-control-sm" if compact else ""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", f"form-select{size}")
        else:
            widget.attrs.setdefault("class", f"form-control{size}")


class BootstrapMixin:
    """A form whose widgets carry Bootstrap's classes."""

    compact = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self.fields, compact=self.compact)


class PageFilterMixin:
    """A FilterSet (the one an API list uses too) shown as a page's filter bar: only
    `PAGE_FIELDS`, date pickers for `DATE_FIELDS`, compact Bootstrap widgets, and "All"
    instead of a row of dashes."""

    PAGE_FIELDS: tuple[str, ...] = ()
    DATE_FIELDS: tuple[str, ...] = ()

    @property
    def rows(self):
        """What the page lists: everything unfiltered, the filtered rows, or none while a
        filter cannot be read (never everything as if no filter had been asked for)."""
        if not self.is_bound:
            return self.queryset
        return self.qs if self.is_valid() else self.queryset.none()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in list(form.fields):
                if name not in self.PAGE_FIELDS:
                    del form.fields[name]
            for name in self.DATE_FIELDS:
                form.fields[name].widget = copy.deepcopy(DATE)
            style(form.fields, compact=True)
            for name, field in form.fields.items():
                if hasattr(field, "empty_label"):
                    field.empty_label = ALL
                    if "choices" in self.filters[name].extra:  # re-read with the new label
                        field.choices = self.filters[name].extra["choices"]
            self._form = form
        return self._form


class SubmissionKeyMixin(forms.Form):
    """A create form's one-time submission key: a hidden field holding a random token
    generated when the form is rendered. Posted again (a double click, a resend, the back
    button), the key is the same, and `core.idempotency.once` answers with the record made
    the first time. A form re-rendered after a validation error keeps its key (nothing
    was stored under it)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = new_key()

    def clean_submission_key(self) -> str:
        key = (self.cleaned_data.get("submission_key") or "").strip()
        if key and not KEY_PATTERN.fullmatch(key):
            raise forms.ValidationError(
                _("Formulir ini tidak lengkap. Muat ulang halaman, lalu isi kembali.")
            )
        return key

    def clean(self):
        data = super().clean()
        for message in self.errors.pop("submission_key", []):
            self.add_error(None, message)  # a hidden field: said at the top of the form
        return data

    def one_time_key(self) -> str:
        return self.cleaned_data.get("submission_key") or ""
