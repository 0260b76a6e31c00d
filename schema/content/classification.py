"""Product classification (GPC and Google): classify now (``classifyProduct``), or start a job
(``startProductClassification``) and read its typed result (``productClassificationResult``).

A job's progress arrives through the ``jobProgress`` subscription: a first event when it starts, one with
``data: {"candidates": [codes]}`` once the taxonomy has been searched, then the terminal event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import Any, Self, TypeVar

import strawberry

from domain.content.classification.classifier import result_json
from domain.content.classification.request import parse_classify_request, parse_job_request
from domain.content.classification.service import (
    ProductClassificationService,
    classify_now,
    job_message,
    job_result,
    record,
)
from domain.errors import InvalidInput, Loc
from domain.jobs.models import Job as JobModel
from schema.errors import Payload, payload_mutation
from schema.jobs import Job, JobStatus, job_id_arg
from schema.types import Info

T = TypeVar("T")
_PRODUCT_FIELDS = ("productName", "productDescription", "productAttributes")


def _camel(part: str | int) -> str | int:
    return part if isinstance(part, int) else re.sub(r"_([a-z])", lambda m: m.group(1).upper(), part)


def parsed(parse: Callable[[Any], T], body: dict[str, Any]) -> T:
    """``parse(body)``, its problems named by the GraphQL input's fields (``product.productAttributes.0``)."""
    try:
        return parse(body)
    except InvalidInput as exc:
        errors = []
        for error in exc.field_errors:
            loc: Loc = tuple(_camel(p) for p in error.loc)
            if loc and loc[0] in _PRODUCT_FIELDS:
                loc = ("product", *loc)
            errors.append(replace(error, loc=loc))
        raise type(exc)(exc.message, errors=errors, code=exc.code) from None


@strawberry.enum(description="The taxonomy a product is classified in.")
class ClassificationChannel(Enum):
    GPC = "gpc"
    GOOGLE = "google"


@strawberry.type(description="A category of a taxonomy: its code (GS1's brick code, Google's id) and title.")
class TaxonomyNode:
    code: int
    title: str

    @classmethod
    def of(cls, node: dict[str, Any]) -> Self:
        return cls(code=int(node["code"]), title=str(node["title"]))


@strawberry.type(description="A GPC classification: the brick with its class, family and segment.")
class GpcClassification:
    segment: TaxonomyNode
    family: TaxonomyNode
    class_: TaxonomyNode = strawberry.field(name="class")
    brick: TaxonomyNode


@strawberry.type(description="A Google Product Taxonomy classification: the category and its path from the top.")
class GoogleClassification:
    category: TaxonomyNode
    path: list[TaxonomyNode]


@strawberry.type(description="Why a result is not what the model answered (MODEL_CHOICE_REJECTED).")
class ClassificationWarning:
    code: str
    description: str


@strawberry.type(description="A product's classification; ``gpc`` or ``google`` is set, as the channel says.")
class ProductClassification:
    channel: ClassificationChannel
    locale: str
    version: str = strawberry.field(description="The taxonomy's version (GPC 2020-06-01, Google 2021-09-21).")
    confidence: float = strawberry.field(description="0 to 1; see docs/content-classification.md.")
    gpc: GpcClassification | None
    google: GoogleClassification | None
    warnings: list[ClassificationWarning]

    @classmethod
    def from_result(cls, result: dict[str, Any]) -> Self:
        shape = result["classification"]
        gpc = google = None
        if result["channel"] == "gpc":
            gpc = GpcClassification(
                segment=TaxonomyNode.of(shape["segment"]),
                family=TaxonomyNode.of(shape["family"]),
                class_=TaxonomyNode.of(shape["class"]),
                brick=TaxonomyNode.of(shape["brick"]),
            )
        else:
            google = GoogleClassification(
                category=TaxonomyNode.of(shape["category"]), path=[TaxonomyNode.of(n) for n in shape["path"]]
            )
        return cls(
            channel=ClassificationChannel(result["channel"]),
            locale=str(result["locale"]),
            version=str(result["version"]),
            confidence=float(result["confidence"]),
            gpc=gpc,
            google=google,
            warnings=[ClassificationWarning(code=w["code"], description=w["description"]) for w in result["warnings"]],
        )


@strawberry.type(description="A product classification job; ``classification`` is null until it has completed.")
class ProductClassificationResult:
    job_id: str
    status: JobStatus
    message: str
    classification: ProductClassification | None

    @classmethod
    def from_model(cls, job: JobModel) -> Self:
        result = job_result(job)
        return cls(
            job_id=job.id,
            status=JobStatus(job.status),
            message=job_message(job),
            classification=ProductClassification.from_result(result) if result else None,
        )


@strawberry.input(description="A product attribute, e.g. product_type: Mascara.")
class ClassificationAttributeInput:
    name: str
    value: str


@strawberry.input(description="The document's Product Classification - Product, field by field.")
class ClassificationProductInput:
    product_name: str = strawberry.field(description="1 to 128 characters.")
    product_description: str = strawberry.field(description="1 to 512 characters.")
    product_attributes: list[ClassificationAttributeInput] = strawberry.field(description="1 to 16 attributes.")

    def body(self) -> dict[str, Any]:
        return {
            "product_name": self.product_name,
            "product_description": self.product_description,
            "product_attributes": [{"name": a.name, "value": a.value} for a in self.product_attributes],
        }


@strawberry.input(description="Classify a product now.")
class ClassifyProductInput:
    product: ClassificationProductInput
    channel: ClassificationChannel = ClassificationChannel.GPC
    locale: str | None = strawberry.field(default=None, description="An English locale; en-GB (GPC) or en-US.")

    def body(self) -> dict[str, Any]:
        out = {**self.product.body(), "channel": self.channel.value}
        return out if self.locale is None else {**out, "locale": self.locale}


@strawberry.input(description="The Product Classification job's submit body, field by field.")
class StartProductClassificationInput:
    product: ClassificationProductInput
    channel: ClassificationChannel = ClassificationChannel.GPC
    locale: str | None = None
    callback_url: str | None = None
    external_tracking_id: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"product": self.product.body(), "channel": self.channel.value}
        optional = {
            "locale": self.locale,
            "callback_url": self.callback_url,
            "external_tracking_id": self.external_tracking_id,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@strawberry.type
class ClassifyProductPayload(Payload):
    classification: ProductClassification | None = None


@strawberry.type
class StartProductClassificationPayload(Payload):
    job: Job | None = None


@strawberry.type
class ProductClassificationQuery:
    @strawberry.field(description="A product classification job's status and typed result.")
    async def product_classification_result(self, info: Info, job_id: strawberry.ID) -> ProductClassificationResult:
        job = await info.context.read(lambda s, p: ProductClassificationService(s).get_job(p, job_id_arg(job_id)))
        return ProductClassificationResult.from_model(job)


@strawberry.type
class ProductClassificationMutation:
    @payload_mutation(
        description="Classify a product now in the GPC (default) or Google taxonomy, with a confidence.", camel=False
    )
    async def classify_product(self, info: Info, input: ClassifyProductInput) -> ClassifyProductPayload:
        principal = await info.context.principal()
        request = parsed(parse_classify_request, input.body())
        outcome = await classify_now(principal, request, info.context.services.providers)
        if outcome.usage.total_tokens:
            await info.context.scope.write(lambda uow: record(uow, principal, outcome))
        return ClassifyProductPayload(classification=ProductClassification.from_result(result_json(outcome)))

    @payload_mutation(description="Start a product classification job; follow it with jobProgress.", camel=False)
    async def start_product_classification(
        self, info: Info, input: StartProductClassificationInput
    ) -> StartProductClassificationPayload:
        principal = await info.context.principal()
        request = parsed(parse_job_request, input.body())
        job = await info.context.scope.write(lambda uow: ProductClassificationService(uow).submit(principal, request))
        return StartProductClassificationPayload(job=Job.from_model(job))
