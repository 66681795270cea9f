CREATE TABLE `org_revisions` (
	`org_id` text NOT NULL,
	`resource` text NOT NULL,
	`rev` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `resource`)
);
--> statement-breakpoint
-- Every write to an organization's IVRs or menu options bumps its 'ivrs' revision (cached GET /api/v1/ivrs).
CREATE TRIGGER `ivrs_rev_insert` AFTER INSERT ON `ivrs`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (NEW.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `ivrs_rev_update` AFTER UPDATE ON `ivrs`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (NEW.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `ivrs_rev_delete` AFTER DELETE ON `ivrs`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (OLD.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `ivr_menu_options_rev_insert` AFTER INSERT ON `ivr_menu_options`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (NEW.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `ivr_menu_options_rev_update` AFTER UPDATE ON `ivr_menu_options`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (NEW.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `ivr_menu_options_rev_delete` AFTER DELETE ON `ivr_menu_options`
BEGIN
  INSERT INTO `org_revisions` (`org_id`, `resource`, `rev`) VALUES (OLD.`org_id`, 'ivrs', 1)
    ON CONFLICT (`org_id`, `resource`) DO UPDATE SET `rev` = `rev` + 1;
END;
