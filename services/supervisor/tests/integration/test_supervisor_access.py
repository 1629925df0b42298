"""Jurisdiction scoping for every role: outside one's scope a resource is a 404, a role that may not act a 403."""

from __future__ import annotations

from typing import Any

from .aliases import Auth, Client, Factory, Headers
from .conftest import ANJIANG, CITY, QIANCHENG


async def test_scoping_for_every_role(
    client: Client, admin: Headers, auth: Auth, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    wood = await register(name="洪江市黔城镇权限测试木业公司")  # 黔城镇, industry 20 (section C)
    shop = await register(
        name="洪江市安江镇权限测试超市",
        township_code=ANJIANG,
        village_code=None,
        industry_code="52",
        supervising_department="swj",
    )
    supervisor = await new_supervisor(org_kind="township", org_code=ANJIANG)
    await assign(supervisor["id"], shop["id"])

    async def status(headers: dict[str, str], enterprise: dict[str, Any]) -> int:
        return (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=headers)).status_code

    async def listed(headers: dict[str, str]) -> set[str]:
        response = await client.get("/api/v1/enterprises", params={"q": "权限测试"}, headers=headers)
        assert response.status_code == 200
        return {i["id"] for i in response.json()["items"]}

    township = auth("township_officer", jurisdictions=[QIANCHENG])
    assert (await status(township, wood), await status(township, shop)) == (200, 404)
    assert await listed(township) == {wood["id"]}
    patch = await client.patch(f"/api/v1/enterprises/{shop['id']}", json={"employee_count": 9}, headers=township)
    assert patch.status_code == 404
    outside = await client.post(
        "/api/v1/enterprises",
        json={
            **{k: wood[k] for k in ("industry_code",)},
            "name": "越权登记公司",
            "credit_code": "91431281MA4PEM8F7R",
            "township_code": ANJIANG,
            "employee_count": 5,
        },
        headers=township,
    )
    assert outside.status_code == 403

    commerce = auth("department_officer", jurisdictions=[CITY], department="swj")  # 52 retail, not 20 wood
    assert (await status(commerce, wood), await status(commerce, shop)) == (404, 200)
    assert await listed(commerce) == {shop["id"]}
    bureau = auth("department_officer", jurisdictions=[CITY], department="yjj")  # section C
    assert (await status(bureau, wood), await status(bureau, shop)) == (200, 404)
    suspend = await client.post(f"/api/v1/enterprises/{shop['id']}/suspend", headers=bureau)
    assert suspend.status_code == 404
    committee = auth("department_officer", jurisdictions=[CITY], department="aqb")  # supervises no industry
    assert await listed(committee) == set()

    resident = auth("supervisor", supervisor_id=supervisor["id"])
    assert (await status(resident, wood), await status(resident, shop)) == (404, 200)
    assert await listed(resident) == {shop["id"]}
    assert (await client.patch(f"/api/v1/enterprises/{shop['id']}", json={}, headers=resident)).status_code == 403
    own = await client.get(f"/api/v1/supervisors/{supervisor['id']}", headers=resident)
    assert own.status_code == 200
    notice = await client.get(f"/api/v1/enterprises/{shop['id']}/notice.html", headers=resident)
    assert notice.status_code == 200

    company = auth("enterprise", enterprise_id=shop["id"])
    assert (await status(company, wood), await status(company, shop)) == (404, 200)
    assert await listed(company) == {shop["id"]}
    assert (await client.get(f"/api/v1/enterprises/{shop['id']}/notice.pdf", headers=company)).status_code == 200
    assert (await client.post("/api/v1/enterprises", json={}, headers=company)).status_code in (403, 422)
    assert (await client.post(f"/api/v1/enterprises/{shop['id']}/suspend", headers=company)).status_code == 403

    leader = auth("leader", jurisdictions=[CITY])
    assert (await status(leader, wood), await status(leader, shop)) == (200, 200)
    assert await listed(leader) == {wood["id"], shop["id"]}
    assert (await client.post(f"/api/v1/enterprises/{wood['id']}/suspend", headers=leader)).status_code == 403
    assert await listed(admin) == {wood["id"], shop["id"]}
    assert (await client.get("/api/v1/enterprises")).status_code == 401


async def test_supervisor_and_assignment_scoping(
    client: Client, auth: Auth, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    anjiang_supervisor = await new_supervisor(org_kind="township", org_code=ANJIANG)
    enterprise = await register(township_code=ANJIANG, village_code=None)
    [assignment] = await assign(anjiang_supervisor["id"], enterprise["id"])
    qiancheng = auth("township_officer", jurisdictions=[QIANCHENG])
    anjiang = auth("township_officer", jurisdictions=[ANJIANG])
    assert (await client.get(f"/api/v1/supervisors/{anjiang_supervisor['id']}", headers=qiancheng)).status_code == 404
    assert (await client.get(f"/api/v1/supervisors/{anjiang_supervisor['id']}", headers=anjiang)).status_code == 200
    assert (await client.get(f"/api/v1/assignments/{assignment['id']}", headers=qiancheng)).status_code == 404
    assert (await client.post(f"/api/v1/assignments/{assignment['id']}/end", headers=qiancheng)).status_code == 404
    cannot_register = await client.post(
        "/api/v1/supervisors", json={"name": "越权员", "org_kind": "township", "org_code": ANJIANG}, headers=qiancheng
    )
    assert cannot_register.status_code == 403
    own_township = await client.post(
        "/api/v1/supervisors", json={"name": "本镇员", "org_kind": "township", "org_code": QIANCHENG}, headers=qiancheng
    )
    assert own_township.status_code == 201
    assign_outside = await client.post(
        "/api/v1/assignments",
        json={"supervisor_id": own_township.json()["id"], "enterprise_ids": [enterprise["id"]]},
        headers=qiancheng,
    )
    assert assign_outside.status_code == 422
    ended = await client.post(f"/api/v1/assignments/{assignment['id']}/end", headers=anjiang)
    assert ended.status_code == 200
