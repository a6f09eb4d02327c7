"""The WSDL of the fake's web service, shaped the way the 1C platform publishes one.

What makes it 1C-like (DESIGN §6): document/literal; one request element per operation named
like it; message parts named ``parameters``; ``<Op>Response`` whose first child is ``return``;
soapAction ``<targetNamespace>#<Service>:<operation>``; bindings ``<Svc>SoapBinding`` and
``<Svc>Soap12Binding``; ports ``<Svc>Soap`` and ``<Svc>Soap12`` sharing one address, which points
at the host name 1C's web server knows itself by (an internal one); the platform's own types
(``Structure``, ``Array``) inlined in the namespace ``http://v8.1c.ru/8.1/data/core``.
"""

# ruff: noqa: E501  (an XML template reads best unwrapped)
from __future__ import annotations

SERVICE = "B2BExchange"
TNS = "http://www.b2b-exchange.ru/B2BExchange"
V8_NS = "http://v8.1c.ru/8.1/data/core"
INTERNAL_ADDRESS = "http://srv-1c-app01.corp.local/ut11/ws/b2b.1cws"

OPERATIONS: dict[str, tuple[list[tuple[str, str]], str]] = {
    "GetCounterparties": (
        [("ChangedSince", "xs:dateTime"), ("Limit", "xs:int"), ("Cursor", "xs:string")],
        "tns:CounterpartyPage",
    ),
    "GetDocuments": (
        [
            ("Counterparty", "xs:string"),
            ("ChangedSince", "xs:dateTime"),
            ("Limit", "xs:int"),
            ("Cursor", "xs:string"),
        ],
        "tns:DocumentPage",
    ),
    "GetCredit": ([("Counterparty", "xs:string")], "v8:Array"),
    "GetDocumentFile": ([("Document", "xs:string")], "tns:DocumentFile"),
}

_TYPES = """
		<xs:schema xmlns:tns="{tns}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:v8="{v8}" targetNamespace="{tns}" attributeFormDefault="unqualified" elementFormDefault="qualified">
			<xs:import namespace="{v8}"/>
			<xs:complexType name="Counterparty">
				<xs:sequence>
					<xs:element name="Guid" type="xs:string"/>
					<xs:element name="Name" type="xs:string"/>
					<xs:element name="INN" type="xs:string" nillable="true"/>
					<xs:element name="KPP" type="xs:string" nillable="true"/>
					<xs:element name="DeletionMark" type="xs:boolean"/>
					<xs:element name="ChangedAt" type="xs:dateTime"/>
				</xs:sequence>
			</xs:complexType>
			<xs:complexType name="CounterpartyPage">
				<xs:sequence>
					<xs:element name="Items" type="tns:Counterparty" minOccurs="0" maxOccurs="unbounded"/>
					<xs:element name="Next" type="xs:string" nillable="true"/>
				</xs:sequence>
			</xs:complexType>
			<xs:complexType name="Document">
				<xs:sequence>
					<xs:element name="Guid" type="xs:string"/>
					<xs:element name="Counterparty" type="xs:string"/>
					<xs:element name="Kind" type="xs:string"/>
					<xs:element name="Number" type="xs:string"/>
					<xs:element name="Date" type="xs:dateTime"/>
					<xs:element name="Amount" type="xs:decimal" nillable="true"/>
					<xs:element name="Currency" type="xs:string" nillable="true"/>
					<xs:element name="OrderRef" type="xs:string" nillable="true"/>
					<xs:element name="HasFile" type="xs:boolean"/>
					<xs:element name="DeletionMark" type="xs:boolean"/>
					<xs:element name="ChangedAt" type="xs:dateTime"/>
				</xs:sequence>
			</xs:complexType>
			<xs:complexType name="DocumentPage">
				<xs:sequence>
					<xs:element name="Items" type="tns:Document" minOccurs="0" maxOccurs="unbounded"/>
					<xs:element name="Next" type="xs:string" nillable="true"/>
				</xs:sequence>
			</xs:complexType>
			<xs:complexType name="DocumentFile">
				<xs:sequence>
					<xs:element name="Name" type="xs:string"/>
					<xs:element name="ContentType" type="xs:string"/>
					<xs:element name="Size" type="xs:long" nillable="true"/>
					<xs:element name="Data" type="xs:base64Binary"/>
				</xs:sequence>
			</xs:complexType>
{elements}
		</xs:schema>
		<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:v8="{v8}" targetNamespace="{v8}" attributeFormDefault="unqualified" elementFormDefault="qualified">
			<xs:complexType name="Array">
				<xs:sequence>
					<xs:element name="Value" type="xs:anyType" nillable="true" minOccurs="0" maxOccurs="unbounded"/>
				</xs:sequence>
			</xs:complexType>
			<xs:complexType name="Structure">
				<xs:sequence>
					<xs:element name="Property" minOccurs="0" maxOccurs="unbounded">
						<xs:complexType>
							<xs:sequence>
								<xs:element name="Value" type="xs:anyType" nillable="true"/>
							</xs:sequence>
							<xs:attribute name="name" type="xs:NMTOKEN" use="required"/>
						</xs:complexType>
					</xs:element>
				</xs:sequence>
			</xs:complexType>
		</xs:schema>"""


def _elements() -> str:
    out: list[str] = []
    for op, (params, result) in OPERATIONS.items():
        fields = "".join(
            f'\n\t\t\t\t\t\t<xs:element name="{name}" type="{kind}" nillable="true"/>'
            for name, kind in params
        )
        out.append(
            f'\t\t\t<xs:element name="{op}">\n\t\t\t\t<xs:complexType>\n\t\t\t\t\t<xs:sequence>'
            f"{fields}\n\t\t\t\t\t</xs:sequence>\n\t\t\t\t</xs:complexType>\n\t\t\t</xs:element>\n"
            f'\t\t\t<xs:element name="{op}Response">\n\t\t\t\t<xs:complexType>\n'
            f'\t\t\t\t\t<xs:sequence>\n\t\t\t\t\t\t<xs:element name="return" type="{result}"'
            ' nillable="true"/>\n\t\t\t\t\t</xs:sequence>\n\t\t\t\t</xs:complexType>\n'
            "\t\t\t</xs:element>"
        )
    return "\n".join(out)


def render_wsdl(address: str = INTERNAL_ADDRESS) -> str:
    """The WSDL text; ``address`` goes into both ports (1C writes its own idea of its host)."""
    messages = "".join(
        f'\n\t<message name="{op}RequestMessage">\n\t\t<part name="parameters" element="tns:{op}"/>'
        f'\n\t</message>\n\t<message name="{op}ResponseMessage">\n\t\t<part name="parameters"'
        f' element="tns:{op}Response"/>\n\t</message>'
        for op in OPERATIONS
    )
    port_ops = "".join(
        f'\n\t\t<operation name="{op}">\n\t\t\t<input message="tns:{op}RequestMessage"/>'
        f'\n\t\t\t<output message="tns:{op}ResponseMessage"/>\n\t\t</operation>'
        for op in OPERATIONS
    )

    def binding_ops(prefix: str) -> str:
        return "".join(
            f'\n\t\t<operation name="{op}">\n\t\t\t<{prefix}:operation style="document" '
            f'soapAction="{TNS}#{SERVICE}:{op}"/>\n\t\t\t<input>\n\t\t\t\t<{prefix}:body '
            f'use="literal"/>\n\t\t\t</input>\n\t\t\t<output>\n\t\t\t\t<{prefix}:body '
            f'use="literal"/>\n\t\t\t</output>\n\t\t</operation>'
            for op in OPERATIONS
        )

    types = _TYPES.format(tns=TNS, v8=V8_NS, elements=_elements())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
		xmlns:soap12bind="http://schemas.xmlsoap.org/wsdl/soap12/"
		xmlns:soapbind="http://schemas.xmlsoap.org/wsdl/soap/"
		xmlns:tns="{TNS}"
		xmlns:v8="{V8_NS}"
		xmlns:xsd="http://www.w3.org/2001/XMLSchema"
		xmlns:xsd1="{TNS}"
		name="{SERVICE}"
		targetNamespace="{TNS}">
	<types>{types}
	</types>{messages}
	<portType name="{SERVICE}PortType">{port_ops}
	</portType>
	<binding name="{SERVICE}SoapBinding" type="tns:{SERVICE}PortType">
		<soapbind:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{binding_ops("soapbind")}
	</binding>
	<binding name="{SERVICE}Soap12Binding" type="tns:{SERVICE}PortType">
		<soap12bind:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{binding_ops("soap12bind")}
	</binding>
	<service name="{SERVICE}">
		<port name="{SERVICE}Soap" binding="tns:{SERVICE}SoapBinding">
			<documentation>
				<wsi:Claim xmlns:wsi="http://ws-i.org/schemas/conformanceClaim/" conformsTo="http://ws-i.org/profiles/basic/1.1"/>
			</documentation>
			<soapbind:address location="{address}"/>
		</port>
		<port name="{SERVICE}Soap12" binding="tns:{SERVICE}Soap12Binding">
			<soap12bind:address location="{address}"/>
		</port>
	</service>
</definitions>
"""
