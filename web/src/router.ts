// Every screen of the console, loaded on demand, with the roles that may open it (as the APIs admit them).
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { principalHasRole, useSession, type Role } from "@/auth/session";

declare module "vue-router" {
  interface RouteMeta {
    /** Screen title (Chinese), shown in the navigation and the document title. */
    title?: string;
    /** Roles that may open the screen; none means any signed-in user. */
    roles?: Role[];
    /** Open without signing in (the sign-in screens). */
    public?: boolean;
    /** Listed in the side navigation. */
    nav?: boolean;
  }
}

const OFFICIALS: Role[] = ["city_admin", "department_officer", "township_officer", "leader"];
const EVERYONE: Role[] = [...OFFICIALS, "supervisor", "enterprise"];
const FIELD_WORKERS: Role[] = ["township_officer", "supervisor", "enterprise"];

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: () => homePath() },
  {
    path: "/signin",
    name: "signin",
    component: () =>
      import.meta.env.VITE_DEV_SIGNIN === "true" ? import("@/views/DevSignInView.vue") : import("@/views/SignInView.vue"),
    meta: { title: "登录", public: true },
  },
  {
    path: "/signin/callback",
    name: "signin-callback",
    component: () => import("@/views/SignInCallbackView.vue"),
    meta: { title: "登录", public: true },
  },
  {
    path: "/dashboard",
    name: "dashboard",
    component: () => import("@/views/DashboardView.vue"),
    meta: { title: "驾驶舱", roles: OFFICIALS, nav: true },
  },
  {
    path: "/hazards",
    name: "hazards",
    component: () => import("@/views/hazards/HazardListView.vue"),
    meta: { title: "隐患台账", roles: EVERYONE, nav: true },
  },
  {
    path: "/hazards/:id",
    name: "hazard",
    component: () => import("@/views/hazards/HazardDetailView.vue"),
    meta: { title: "隐患详情", roles: EVERYONE },
  },
  {
    path: "/cases",
    name: "cases",
    component: () => import("@/views/cases/CaseListView.vue"),
    meta: { title: "执法案件", roles: OFFICIALS, nav: true },
  },
  {
    path: "/cases/:id",
    name: "case",
    component: () => import("@/views/cases/CaseDetailView.vue"),
    meta: { title: "案件详情", roles: OFFICIALS },
  },
  {
    path: "/inspections",
    name: "inspections",
    component: () => import("@/views/cases/InspectionsView.vue"),
    meta: { title: "执法检查", roles: OFFICIALS, nav: true },
  },
  {
    path: "/supervisors",
    name: "supervisors",
    component: () => import("@/views/supervisors/SupervisorsView.vue"),
    meta: { title: "派驻监督员", roles: [...OFFICIALS, "supervisor"], nav: true },
  },
  {
    path: "/reports",
    name: "reports",
    component: () => import("@/views/ReportsView.vue"),
    meta: { title: "报表", roles: OFFICIALS, nav: true },
  },
  {
    path: "/field",
    name: "field",
    component: () => import("@/views/field/FieldView.vue"),
    meta: { title: "现场上报", roles: FIELD_WORKERS, nav: true },
  },
  {
    path: "/field/hazards/:id",
    name: "field-hazard",
    component: () => import("@/views/field/FieldHazardView.vue"),
    meta: { title: "我的隐患", roles: FIELD_WORKERS },
  },
  { path: "/:unknown(.*)*", name: "not-found", component: () => import("@/views/NotFoundView.vue"), meta: { title: "页面不存在" } },
];

/** The first screen of the signed-in user: the dashboard for officials, the field page for the others. */
export function homePath(): string {
  const { hasRole } = useSession();
  if (hasRole(...OFFICIALS)) return "/dashboard";
  if (hasRole(...FIELD_WORKERS)) return "/field";
  return "/hazards";
}

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });

router.beforeEach((to) => {
  const { principal, signedIn } = useSession();
  if (to.meta.public) return true;
  if (!signedIn.value) return { name: "signin", query: { redirect: to.fullPath } };
  if (to.meta.roles && !principalHasRole(principal.value, ...to.meta.roles)) return homePath();
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 洪江市安全生产监管平台` : "洪江市安全生产监管平台";
});
