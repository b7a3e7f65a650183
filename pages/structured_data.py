from articles.links import absolute_url, route_url

# schema.org's terms from the Trust Project's indicators, and the page each points at.
POLICIES = {
    "publishingPrinciples": "pages:charter",
    "ethicsPolicy": "pages:charter",
    "correctionsPolicy": "pages:corrections",
    "masthead": "pages:about",
    "actionableFeedbackPolicy": "pages:contact",
}


def add_policies(data):
    """The publisher's policies, added to its NewsMediaOrganization."""
    data.update({term: absolute_url(route_url(name)) for term, name in POLICIES.items()})
