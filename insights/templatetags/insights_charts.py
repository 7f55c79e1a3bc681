from django import template

register = template.Library()


@register.filter
def svg(chart, slug):
    """The chart's SVG markup, its title named by `slug` (insights.charts.Chart.svg)."""
    return chart.svg(slug)
