import type { VisibilityCaseSource } from './case-source';
import { ONBOARDING_OVERDUE_SOURCE } from './onboarding-overdue-source';
import { WORKFLOW_TASK_CASE_SOURCE } from './workflow-task-source';

/** The kinds found in Temporal's visibility store (the sweep and an action's re-check pass it a client). */
export const VISIBILITY_CASE_SOURCES: VisibilityCaseSource[] = [ONBOARDING_OVERDUE_SOURCE, WORKFLOW_TASK_CASE_SOURCE];

export const visibilitySourceFor = (kind: string) => VISIBILITY_CASE_SOURCES.find((s) => s.kind === kind);
