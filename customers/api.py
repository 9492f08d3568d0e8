"""Customer API under /api/v1/: contacts, organisations, attributes, segments, timeline,
merge, privacy export/erase, CSV import/export. Agents read and edit; admins erase and import."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.permissions import IsAgent, IsHelpdeskAdmin

from . import serializers as s
from .models import (
    AttributeDefinition,
    AttributeTarget,
    Contact,
    ContactTag,
    ImportJob,
    Organisation,
    Segment,
)
from .selectors import FILTER_KEYS, FilterError, clean_filters, filter_contacts, page_of
from .services import (
    ContactError,
    create_contact,
    erase_contact,
    export_contact_data,
    merge_contacts,
    set_other_emails,
    start_import,
    update_contact,
)
from .services.attributes import validate_attributes
from .services.exports import contact_rows, organisation_rows, stream_csv
from .services.imports import ImportError_, error_report
from .timeline import timeline

TAGS = ["customers"]
CURSOR = OpenApiParameter("cursor", str, description="`next_cursor` of the previous page.")
FILTERS = [OpenApiParameter(name, str, description=f"Filter: {name}") for name in FILTER_KEYS] + [
    OpenApiParameter("segment", int, description="Apply a saved segment's filters."),
    CURSOR,
]


def _contacts():
    return Contact.objects.select_related("organisation").prefetch_related(
        "other_emails", Prefetch("tags", queryset=ContactTag.objects.order_by("name"))
    )


class AgentAPIView(APIView):
    permission_classes = [IsAgent]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ContactError | FilterError | ImportError_):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, DjangoValidationError):
            return Response(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


def _filters(request: Request) -> dict:
    filters = clean_filters(request.query_params)
    segment = request.query_params.get("segment")
    if segment:
        found = Segment.objects.filter(pk=segment).first() if segment.isdigit() else None
        if found is None:
            raise FilterError("segment: no such segment.")
        filters = {**found.filters, **filters}
    return filters


class ContactListView(AgentAPIView):
    @extend_schema(
        operation_id="contacts_list",
        summary="Search and filter contacts",
        tags=TAGS,
        parameters=FILTERS,
        responses=s.ContactPageSerializer,
    )
    def get(self, request: Request) -> Response:
        contacts, cursor = page_of(
            filter_contacts(_filters(request)), cursor=request.query_params.get("cursor", "")
        )
        prefetch_related_objects(contacts, "other_emails")
        results = s.ContactSerializer(contacts, many=True).data
        return Response({"results": results, "next_cursor": cursor})

    @extend_schema(
        summary="Create a contact",
        tags=TAGS,
        request=s.ContactWriteSerializer,
        responses={201: s.ContactSerializer, 400: OpenApiResponse(description="Invalid")},
    )
    def post(self, request: Request) -> Response:
        serializer = s.ContactWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "email" not in data:
            raise ValidationError({"email": ["This field is required."]})
        contact = create_contact(**data)
        return Response(s.ContactSerializer(_contacts().get(pk=contact.pk)).data, status=201)


class ContactDetailView(AgentAPIView):
    @extend_schema(summary="A contact", tags=TAGS, responses=s.ContactSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ContactSerializer(get_object_or_404(_contacts(), pk=pk)).data)

    @extend_schema(
        summary="Change a contact",
        tags=TAGS,
        request=s.ContactWriteSerializer,
        responses=s.ContactSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        contact = get_object_or_404(Contact, pk=pk)
        serializer = s.ContactWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "email" in data:
            raise ValidationError({"email": ["Add addresses through other_emails, or merge."]})
        other_emails = data.pop("other_emails", None)
        update_contact(contact=contact, **data)
        if other_emails is not None:
            set_other_emails(contact=contact, emails=other_emails)
        return Response(s.ContactSerializer(_contacts().get(pk=pk)).data)


class ContactTimelineView(AgentAPIView):
    @extend_schema(
        summary="A contact's timeline across channels (newest first)",
        tags=TAGS,
        parameters=[
            CURSOR,
            OpenApiParameter("kind", str, description="e.g. ticket,chat,kb"),
            OpenApiParameter("limit", int, description="1-100, default 30"),
        ],
        responses=s.TimelinePageSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        contact = get_object_or_404(Contact, pk=pk)
        limit = request.query_params.get("limit", "30")
        items, cursor = timeline(
            contact.pk,
            cursor=request.query_params.get("cursor", ""),
            limit=int(limit) if limit.isdigit() else 30,
            kinds=request.query_params.get("kind", "").split(","),
        )
        data = s.TimelineItemSerializer([vars(i) for i in items], many=True).data
        return Response({"results": data, "next_cursor": cursor})


class ContactMergeView(AgentAPIView):
    @extend_schema(
        summary="Merge a duplicate (source) into this contact",
        tags=TAGS,
        request=s.ContactMergeSerializer,
        responses=s.ContactSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        target = get_object_or_404(Contact, pk=pk)
        serializer = s.ContactMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = Contact.objects.filter(pk=serializer.validated_data["source"]).first()
        if source is None:
            raise ValidationError({"source": ["No such contact."]})
        merge_contacts(source=source, target=target, actor=request.user)
        return Response(s.ContactSerializer(_contacts().get(pk=pk)).data)


class ContactPrivacyExportView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(
        summary="Everything held about a contact (privacy export, audited)",
        tags=TAGS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int) -> Response:
        contact = get_object_or_404(Contact, pk=pk)
        response = Response(export_contact_data(contact=contact, actor=request.user))
        response["Content-Disposition"] = f'attachment; filename="contact-{pk}.json"'
        return response


class ContactEraseView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(
        summary="Erase a contact's personal data (audited; statistics stay)",
        tags=TAGS,
        request=None,
        responses=s.ContactSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        contact = get_object_or_404(Contact, pk=pk)
        erase_contact(contact=contact, actor=request.user)
        return Response(s.ContactSerializer(_contacts().get(pk=pk)).data)


class _CsvExportView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]

    def _stream(self, rows, name: str) -> StreamingHttpResponse:
        response = StreamingHttpResponse(stream_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ContactCsvExportView(_CsvExportView):
    @extend_schema(
        summary="Contacts as CSV (the filters of the list apply)",
        tags=TAGS,
        parameters=FILTERS[:-1],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request):
        return self._stream(contact_rows(filter_contacts(_filters(request))), "contacts.csv")


class OrganisationCsvExportView(_CsvExportView):
    @extend_schema(
        summary="Organisations as CSV", tags=TAGS, responses={(200, "text/csv"): OpenApiTypes.STR}
    )
    def get(self, request: Request):
        return self._stream(organisation_rows(Organisation.objects.all()), "organisations.csv")


class OrganisationListView(generics.ListCreateAPIView):
    permission_classes = [IsAgent]
    queryset = Organisation.objects.all()
    serializer_class = s.OrganisationSerializer


class OrganisationDetailView(generics.RetrieveUpdateAPIView):
    permission_classes = [IsAgent]
    queryset = Organisation.objects.all()
    serializer_class = s.OrganisationSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer) -> None:
        if "attributes" in serializer.validated_data:
            try:
                serializer.validated_data["attributes"] = validate_attributes(
                    target=AttributeTarget.ORGANISATION,
                    values=serializer.validated_data["attributes"],
                    existing=serializer.instance.attributes,
                )
            except DjangoValidationError as exc:
                raise ValidationError(exc.message_dict) from None
        serializer.save()


class _AdminWrites(IsAgent):
    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().has_permission(request, view)
        return IsHelpdeskAdmin().has_permission(request, view)


class AttributeDefinitionListView(generics.ListCreateAPIView):
    permission_classes = [_AdminWrites]
    queryset = AttributeDefinition.objects.all()
    serializer_class = s.AttributeDefinitionSerializer
    filterset_fields = ["target"]


class AttributeDefinitionDetailView(generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [_AdminWrites]
    queryset = AttributeDefinition.objects.all()
    serializer_class = s.AttributeDefinitionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]


def _checked_filters(data) -> dict:
    filters = clean_filters(data or {})
    try:
        filter_contacts(filters)
    except FilterError as exc:
        raise ValidationError({"filters": [str(exc)]}) from None
    return filters


class SegmentListView(generics.ListCreateAPIView):
    permission_classes = [IsAgent]
    queryset = Segment.objects.all()
    serializer_class = s.SegmentSerializer

    def perform_create(self, serializer) -> None:
        filters = _checked_filters(serializer.validated_data.get("filters"))
        serializer.save(filters=filters, created_by=self.request.user)


class SegmentDetailView(generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsAgent]
    queryset = Segment.objects.all()
    serializer_class = s.SegmentSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer) -> None:
        if "filters" in serializer.validated_data:
            serializer.validated_data["filters"] = _checked_filters(
                serializer.validated_data["filters"]
            )
        serializer.save()


class ImportListView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Recent CSV imports", tags=TAGS, responses=s.ImportJobSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        jobs = ImportJob.objects.all()[:50]
        return Response(s.ImportJobSerializer(jobs, many=True).data)

    @extend_schema(
        summary="Start a CSV import (contacts or organisations)",
        tags=TAGS,
        request=s.ImportUploadSerializer,
        responses={202: s.ImportJobSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = s.ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = start_import(
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            actor=request.user,
        )
        return Response(s.ImportJobSerializer(job).data, status=202)


class ImportDetailView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(
        summary="An import's status and progress", tags=TAGS, responses=s.ImportJobSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ImportJobSerializer(get_object_or_404(ImportJob, pk=pk)).data)


class ImportErrorsView(AgentAPIView):
    permission_classes = [IsHelpdeskAdmin]

    @extend_schema(
        summary="An import's per-row error report as CSV",
        tags=TAGS,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, pk: int):
        job = get_object_or_404(ImportJob, pk=pk)
        response = HttpResponse(error_report(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{pk}-errors.csv"'
        return response
