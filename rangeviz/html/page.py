"""One self-contained HTML page: the words of the figure around the Bokeh map, all inline.

BokehJS goes into the page itself (``bokeh.resources.INLINE``), so the file
opens by double-click on a machine without a network and loads nothing: no
script, style, font or tile from anywhere. The headline, standfirst and small
print are the static map's, as HTML text a reader can select and copy; every
text that came from a user is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rangeviz.html.scene import Scene

__all__ = ["page_html"]

_TEMPLATE = """{% extends base %}
{% block preamble %}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rangeviz {{ version | e }}">
<meta name="description" content="{{ standfirst | e }}">
<style>
  body { font-family: Helvetica, Arial, sans-serif; color: #1f1f1f; background: #ffffff; }
  .rangeviz { box-sizing: border-box; padding: 14px 18px 18px; max-width: 1240px; }
  .rangeviz h1 { font-size: 26px; line-height: 1.2; margin: 0 0 6px; }
  .rangeviz .standfirst { font-size: 16px; line-height: 1.4; color: #3b4349; margin: 0 0 10px; }
  .rangeviz .how { font-size: 12px; color: #5b666e; margin: 0 0 6px; }
  .rangeviz .small { font-size: 11.5px; line-height: 1.45; color: #5b666e; margin: 8px 0 0; }
  .rangeviz details { font-size: 11.5px; color: #5b666e; margin: 4px 0 0; }
  .rangeviz details li { margin: 2px 0; overflow-wrap: anywhere; }
</style>
<script>
  // The only stroked text on the map is the labels' white halo: 3.5 px wide, with
  // round joins that keep the tips of M, V and W free of spikes.
  (() => {
    const proto = CanvasRenderingContext2D.prototype;
    const stroke = proto.strokeText;
    proto.strokeText = function (...args) {
      const [join, width] = [this.lineJoin, this.lineWidth];
      this.lineJoin = "round";
      this.lineWidth = 3.5;
      stroke.apply(this, args);
      [this.lineJoin, this.lineWidth] = [join, width];
    };
  })();
</script>
{% endblock %}
{% block contents %}
<div class="rangeviz">
  <h1>{{ headline | e }}</h1>
  {% if standfirst %}<p class="standfirst">{{ standfirst | e }}</p>{% endif %}
  <p class="how">Scroll to zoom, drag to pan, the circular arrows to reset;
  hover a place or a band to read it; click a key entry to hide it.</p>
  {{ super() }}
  <p class="small">{{ small_print | e }}</p>
  {% if references %}<details><summary>References</summary><ul>
  {% for ref in references %}<li>{{ ref | e }}</li>{% endfor %}
  </ul></details>{% endif %}
  <noscript><p>This map needs JavaScript, which the page carries itself;
  it loads nothing from a network.</p></noscript>
</div>
{% endblock %}
"""


def page_html(scene: Scene, root: Any, version: str) -> str:
    """The whole page: the scene's words around ``root`` (a Bokeh model), BokehJS inline."""
    from bokeh.core.templates import get_env
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    template = get_env().from_string(_TEMPLATE)
    return file_html(
        root,
        resources=INLINE,
        title=scene.headline or "rangeviz map",
        template=template,
        template_variables={
            "headline": scene.headline,
            "standfirst": scene.standfirst,
            "small_print": scene.small_print,
            "references": scene.references,
            "version": version,
        },
    )
