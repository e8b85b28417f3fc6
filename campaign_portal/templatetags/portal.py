from django import template

register = template.Library()


@register.filter
def minutes(delta):
    """Whole minutes of a timedelta, for messages such as a login lock's length."""
    return int(delta.total_seconds() // 60) if delta else 0


@register.filter
def as_bootstrap(field):
    """Render a bound field's widget with Bootstrap's classes, marking it invalid when it has errors."""
    css = "form-check-input" if field.widget_type in ("checkbox", "radioselect") else "form-control"
    if field.widget_type == "select":
        css = "form-select"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
