from flask import request, url_for

MAX_PAGE = 100_000


def page_number() -> int:
    """The ?page= number, clamped: a bad value shows page 1, never an error."""
    raw = request.args.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) >= 1 else 1


def pagination_params(*, page: int, page_size: int, total: int, endpoint: str, **args) -> dict:
    """Params for the NHS.UK pagination component, keeping the current query string."""
    last = max(1, -(-total // page_size))
    params = {}
    query = {key: value for key, value in request.args.items() if key != "page"}
    query.update(args)
    if page > 1:
        params["previous"] = {"href": url_for(endpoint, **query, page=page - 1), "labelText": f"{page - 1} of {last}"}
    if page < last:
        params["next"] = {"href": url_for(endpoint, **query, page=page + 1), "labelText": f"{page + 1} of {last}"}
    return params
