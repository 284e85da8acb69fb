"""The model catalog a team imports from and checks its definitions against: the team's own
loaded catalog, else the installation's, else the LiteLLM snapshot the designer ships."""

import functools
import gzip
import hashlib
import io
from pathlib import Path

from designer.core.catalog import (
    NOT_MODELS,
    CatalogModel,
    catalog_models,
    checked_catalog,
    read_catalog,
)
from designer.core.errors import PluginSourceError
from designer.library.models import Catalog

SHIPPED = Path(__file__).with_name("data") / "litellm_model_prices.json.gz"
SHIPPED_NAME = "LiteLLM 1.110.2 (shipped)"
MAX_CATALOG_BYTES = 50 * 2**20  # LiteLLM's is 3.5 MB
GZIP_MAGIC = b"\x1f\x8b"


@functools.cache
def shipped_catalog() -> dict:
    return read_catalog(gzip.decompress(SHIPPED.read_bytes()))


@functools.lru_cache(maxsize=4)
def stored_catalog(sha256: str, data: bytes) -> dict:
    """A loaded catalog parsed once per process (by its digest)."""
    return read_catalog(gzip.decompress(data))


def loaded_catalog(team) -> Catalog | None:
    """The team's own catalog, else the installation's (None: the shipped snapshot)."""
    team_id = getattr(team, "pk", team)
    own = Catalog.objects.filter(team=team_id).first() if team_id else None
    return own or Catalog.objects.filter(team__isnull=True).first()


def catalog_data(team=None) -> dict:
    loaded = loaded_catalog(team)
    return stored_catalog(loaded.sha256, bytes(loaded.data)) if loaded else shipped_catalog()


def catalog_name(team=None) -> str:
    loaded = loaded_catalog(team)
    return loaded.name if loaded else SHIPPED_NAME


def catalog_providers(team=None) -> list[str]:
    return sorted({m.provider for m in catalog_models(catalog_data(team)) if m.provider})


def catalog_entry(team, key: str) -> CatalogModel | None:
    entry = catalog_data(team).get(key)
    found = catalog_models({key: entry}) if isinstance(entry, dict) else []
    return found[0] if found else None


def uploaded_text(data: bytes) -> bytes:
    """The JSON of an upload, gunzipped if it is gzipped; bounded either way."""
    if len(data) > MAX_CATALOG_BYTES:
        raise PluginSourceError(f"the catalog is larger than {MAX_CATALOG_BYTES // 2**20} MB")
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            text = unzipped.read(MAX_CATALOG_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise PluginSourceError(f"the catalog is not a readable gzip file: {exc}") from None
    if len(text) > MAX_CATALOG_BYTES:
        raise PluginSourceError(f"the catalog is larger than {MAX_CATALOG_BYTES // 2**20} MB")
    return text


def load_catalog(team, name: str, data: bytes, user=None) -> Catalog:
    """Check and store a catalog for ``team`` (None: the installation); PluginSourceError
    says why one is refused, and nothing changes then."""
    text = uploaded_text(data)
    entries = checked_catalog(text)
    fields = {
        "name": name[:255],
        "data": gzip.compress(text, mtime=0),
        "sha256": hashlib.sha256(text).hexdigest(),
        "entries": sum(1 for key in entries if key not in NOT_MODELS),
        "loaded_by": user,
    }
    catalog = Catalog.objects.filter(team=team).first()  # team None: the installation's
    if catalog is None:
        return Catalog.objects.create(team=team, **fields)
    for field, value in fields.items():
        setattr(catalog, field, value)
    catalog.save()
    return catalog
