"""The shared formatters (`training_site.formatting`) as template filters, so
a page shows a figure as its spreadsheet does: `{{ hours|hours }}` ("47.0"),
`{{ n|count }}` ("19,408")."""

from django import template

from training_site import formatting

register = template.Library()

register.filter("hours", formatting.hours)
register.filter("count", formatting.count)
register.filter("percent", formatting.percent)
