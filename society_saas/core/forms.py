"""Helpers shared by forms."""
from flask_babel import gettext as _


def stale_form_message() -> str:
    """What an edit form says when the record was saved by someone else after the form was shown."""
    return _("Someone else changed this record after you opened it. Nothing was saved; check your entries against "
             "the current record and save again.")


def errors_by_label(form) -> str:
    """A form's field errors as one line that names each field (for a page that can only flash them)."""
    return "；".join(f"{form[name].label.text}：{messages[0]}" for name, messages in form.errors.items()
                    if name in form._fields)


def apply_service_error(form, exc, default_field: str | None = None) -> None:
    """Show a service's refusal on the form fields it names (or on a default field)."""
    placed = False
    for name, messages in (exc.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        target = getattr(form, default_field, None) if default_field else None
        if target is not None:
            target.errors = list(target.errors) + [exc.message]
        else:
            form.form_errors.append(exc.message)
