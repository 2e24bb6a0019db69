-- Requirement sources shown to users named a design-document section; edited copies saved from the
-- shipped sets carry that text too. Idempotent: installations that already rewrote it match nothing.
UPDATE requirement_sets SET "set" = replace("set"::text, 'DOMAIN.md §6 默认建议值', '默认建议值')::jsonb
  WHERE "set"::text LIKE '%DOMAIN.md%';
