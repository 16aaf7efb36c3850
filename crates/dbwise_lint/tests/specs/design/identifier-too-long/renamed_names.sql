-- expect: identifier-too-long x1
-- The old name of a rename is only used; the new one is created, and judged against the long
-- names written before it.
CREATE TABLE mappings (id bigint PRIMARY KEY, workspace_id bigint, source_id bigint, survey_id bigint);
CREATE UNIQUE INDEX "FeedbackSourceMapping_workspaceId_feedbackSourceId_surveyId_elementId_uniq"
  ON mappings (workspace_id, source_id, survey_id);
ALTER INDEX "ConnectorMapping_workspaceId_connectorId_surveyId_elementId_questionId_key"
  RENAME TO "FeedbackSourceMapping_workspaceId_feedbackSourceId_surveyId_elementId_key";
ALTER INDEX "ConnectorMapping_workspaceId_connectorId_surveyId_elementId_questionId_idx"
  RENAME TO mappings_workspace_idx;
