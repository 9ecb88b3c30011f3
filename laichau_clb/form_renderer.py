"""Django's form renderer, with the select widget written out in Python.

A select renders one template include per option; the filters of the lists carry every commune and
former district, so their selects took most of a list page's rendering (8 ms of the club list's 40 at
national scale). The HTML is the same as Django's own templates give, byte for byte
(laichau_clb/tests/test_form_renderer.py compares the two on every select of the app's forms); any other
template, or a select whose template a widget changes, is rendered by Django as before.
"""
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
_PLAIN = Context(autoescape=True)  # a template's own context: localized and escaped as {{ value }} is


def _attrs(attrs):
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape("%s" % value)}"')
    return "".join(out)


def _option(option):
    return (f'<option value="{conditional_escape("%s" % option["value"])}"{_attrs(option["attrs"])}>'
            f"{render_value_in_context(option['label'], _PLAIN)}</option>")


def render_select(widget):
    parts = [f'<select name="{render_value_in_context(widget["name"], _PLAIN)}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, _PLAIN)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append("\n  " + _option(option) + "\n")  # the option template ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and set(context) == {"widget"}:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
