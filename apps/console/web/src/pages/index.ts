import type { ComponentType } from 'react';
import type { Principal, Role } from '../session';
import { AdvertisersPage } from './advertisers';
import { ApiKeysPage } from './api-keys';
import { ApprovalsPage } from './approvals';
import { AuditLogPage } from './audit-log';
import { ConversionUploadPage } from './conversion-upload';
import { ConversionsPage } from './conversions';
import { DashboardPage } from './dashboard';
import { DeliveriesPage } from './deliveries';
import { DirectLinkingPage } from './direct-linking';
import { AffiliatesPage } from './affiliates';
import { LinkBuilderPage } from './link-builder';
import { OffersPage } from './offers';
import { PayoutOverridesPage } from './payout-overrides';
import { PostbackSetupPage } from './postback-setup';
import { PrivacyPage } from './privacy';
import { PromoCodesPage } from './promo-codes';
import { ReconciliationPage } from './reconciliation';
import { ReportsPage } from './reports';

export interface PageProps {
  principal: Principal;
}

export interface Page {
  path: string;
  title: string;
  roles: Role[];
  component: ComponentType<PageProps>;
}

const ALL: Role[] = ['admin', 'advertiser', 'affiliate'];

/** Every page, in menu order, with the roles it is offered to (the APIs enforce what each role may see and do). */
export const PAGES: Page[] = [
  { path: '/', title: 'Dashboard', roles: ALL, component: DashboardPage },
  { path: '/reports', title: 'Reports', roles: ALL, component: ReportsPage },
  { path: '/conversions', title: 'Conversions', roles: ALL, component: ConversionsPage },
  { path: '/offers', title: 'Offers', roles: ALL, component: OffersPage },
  { path: '/links', title: 'Tracking links', roles: ['affiliate'], component: LinkBuilderPage },
  { path: '/promo-codes', title: 'Promo codes', roles: ALL, component: PromoCodesPage },
  { path: '/advertisers', title: 'Advertisers', roles: ['admin'], component: AdvertisersPage },
  { path: '/postback-setup', title: 'Postback setup', roles: ['admin', 'advertiser'], component: PostbackSetupPage },
  { path: '/direct-linking', title: 'Direct linking', roles: ['admin', 'advertiser'], component: DirectLinkingPage },
  { path: '/conversion-upload', title: 'Offline conversions', roles: ['admin', 'advertiser'], component: ConversionUploadPage },
  { path: '/affiliates', title: 'Affiliates', roles: ['admin'], component: AffiliatesPage },
  { path: '/approvals', title: 'Approvals', roles: ['admin', 'affiliate'], component: ApprovalsPage },
  { path: '/payout-overrides', title: 'Payout overrides', roles: ['admin'], component: PayoutOverridesPage },
  { path: '/deliveries', title: 'Deliveries', roles: ['admin', 'affiliate'], component: DeliveriesPage },
  { path: '/reconciliation', title: 'Reconciliation', roles: ['admin'], component: ReconciliationPage },
  { path: '/api-keys', title: 'API keys', roles: ALL, component: ApiKeysPage },
  { path: '/privacy', title: 'Privacy', roles: ['admin'], component: PrivacyPage },
  { path: '/audit-log', title: 'Audit log', roles: ['admin'], component: AuditLogPage },
];

export function pagesFor(role: Role): Page[] {
  return PAGES.filter((page) => page.roles.includes(role));
}

/** The page at a path for a role; the dashboard for any other path. */
export function pageFor(role: Role, path: string): Page {
  const pages = pagesFor(role);
  return pages.find((page) => page.path === path) ?? pages[0];
}
