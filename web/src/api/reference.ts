// Reference data the screens choose from: the townships of 洪江市.
import type { components } from "./generated/supervisor";
import { api } from "./client";

export type Township = components["schemas"]["JurisdictionRead"];

/** The townships the caller may choose from: all of them for city-wide roles, else their own. */
export async function loadTownships(jurisdictions: readonly string[], citywide: boolean): Promise<Township[]> {
  const { data } = await api.supervisor.GET("/api/v1/reference/jurisdictions", {
    params: { query: { level: "township" } },
  });
  const all = data?.items ?? [];
  return citywide ? all : all.filter((t) => jurisdictions.includes(t.code));
}
