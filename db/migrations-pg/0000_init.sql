CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"extension_id" text NOT NULL,
	"phone" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"expires_at" text,
	"disabled_reason" text,
	"caller_id_did_id" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_agents" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"ws_url" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dialect" text DEFAULT 'native' NOT NULL,
	"audio_format" text DEFAULT 'l16_16k' NOT NULL,
	"system_prompt" text,
	"language" text DEFAULT 'en-IN' NOT NULL,
	"opening_text" text,
	"connect_timeout_ms" bigint DEFAULT 3000 NOT NULL,
	"fallback_destination" jsonb,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"permissions" jsonb NOT NULL,
	"created_by" text,
	"created_at" text NOT NULL,
	"last_used_at" text,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "bot_legs" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"call_uuid" text NOT NULL,
	"org_id" text,
	"agent_id" text,
	"ws_url" text NOT NULL,
	"dialect" text NOT NULL,
	"stream_id" text NOT NULL,
	"started_at" text NOT NULL,
	"duration_ms" bigint NOT NULL,
	"dtmf" text DEFAULT '' NOT NULL,
	"end_reason" text NOT NULL,
	"end_detail" text,
	"transfer_target" jsonb,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_hours" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"weekly" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open_destination" jsonb NOT NULL,
	"closed_destination" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_log_feed" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"call_log_id" text NOT NULL,
	"org_id" text
);
--> statement-breakpoint
CREATE TABLE "call_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"call_uuid" text NOT NULL,
	"org_id" text,
	"direction" text DEFAULT 'inbound' NOT NULL,
	"did" text,
	"caller" text,
	"caller_name" text,
	"started_at" text NOT NULL,
	"answered_at" text,
	"ended_at" text,
	"duration_s" bigint,
	"path" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dtmf" text DEFAULT '' NOT NULL,
	"disposition" text,
	"left_at" text,
	"answered_by" text,
	"hangup_cause" text,
	"snapshot_version" bigint,
	"contact_id" text,
	"contact_name" text,
	"contact_variables" jsonb,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"call_log_id" text NOT NULL,
	"disposition_id" text,
	"disposition" text,
	"note" text,
	"author_id" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_recordings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"call_id" text NOT NULL,
	"path" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"call_uuid" text,
	"caller_number" text NOT NULL,
	"did" text,
	"ivr_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_numbers" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"org_id" text NOT NULL,
	"number" text NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint DEFAULT 0 NOT NULL,
	"last_call_id" text,
	"last_outcome" text,
	"answered" boolean DEFAULT false NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"did" text NOT NULL,
	"play" jsonb NOT NULL,
	"concurrency" bigint DEFAULT 1 NOT NULL,
	"window_start" text DEFAULT '09:00' NOT NULL,
	"window_end" text DEFAULT '18:00' NOT NULL,
	"days" jsonb DEFAULT '[1,2,3,4,5]'::jsonb NOT NULL,
	"timezone" text NOT NULL,
	"retry" jsonb NOT NULL,
	"contact_list_id" text,
	"status" text DEFAULT 'paused' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"version" bigint NOT NULL,
	"snapshot" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"published_by" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_list_members" (
	"list_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "contact_list_members_list_id_contact_id_pk" PRIMARY KEY("list_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "contact_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"email" text,
	"company" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "did_history" (
	"id" text PRIMARY KEY NOT NULL,
	"did_id" text NOT NULL,
	"org_id" text,
	"action" text NOT NULL,
	"detail" jsonb,
	"actor_user_id" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dids" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"org_id" text,
	"routing_type" text,
	"routing_destination" text,
	"description" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispositions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dnc_numbers" (
	"org_id" text NOT NULL,
	"number" text NOT NULL,
	"reason" text,
	"created_at" text NOT NULL,
	CONSTRAINT "dnc_numbers_org_id_number_pk" PRIMARY KEY("org_id","number")
);
--> statement-breakpoint
CREATE TABLE "extensions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"sip_password" text NOT NULL,
	"voicemail_enabled" boolean DEFAULT true NOT NULL,
	"voicemail_greeting" text,
	"voicemail_greeting_file" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ivr_menu_options" (
	"id" text PRIMARY KEY NOT NULL,
	"ivr_id" text NOT NULL,
	"org_id" text NOT NULL,
	"digit" text NOT NULL,
	"action_type" text NOT NULL,
	"destination" text,
	"description" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ivrs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"extension" text NOT NULL,
	"description" text,
	"greeting_prompt" text,
	"greeting_text" text,
	"greeting_language" text DEFAULT 'en-IN' NOT NULL,
	"greeting_voice" text DEFAULT 'en-IN-Wavenet-D' NOT NULL,
	"timeout" bigint DEFAULT 10 NOT NULL,
	"inter_digit_timeout" bigint DEFAULT 3 NOT NULL,
	"max_retries" bigint DEFAULT 3 NOT NULL,
	"timeout_retries" bigint,
	"invalid_retries" bigint,
	"enable_direct_dial" boolean DEFAULT false NOT NULL,
	"direct_dial_policy" text DEFAULT 'disabled' NOT NULL,
	"direct_dial_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timeout_prompt" text,
	"invalid_prompt" text,
	"timeout_destination" jsonb,
	"invalid_destination" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_dids" (
	"number" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"did_id" text NOT NULL,
	"routing_type" text NOT NULL,
	"routing_destination" text,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "masking_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"did" text NOT NULL,
	"first_phone" text,
	"second_phone" text,
	"first_masked" text NOT NULL,
	"second_masked" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_at" text,
	"ended_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_revisions" (
	"org_id" text NOT NULL,
	"resource" text NOT NULL,
	"rev" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "org_revisions_org_id_resource_pk" PRIMARY KEY("org_id","resource")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sip_domain" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbound_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"did" text NOT NULL,
	"ext_no" text,
	"first_number" text,
	"second_number" text,
	"intro" text,
	"spec" jsonb,
	"campaign_id" text,
	"campaign_number_id" text,
	"status" text NOT NULL,
	"hangup_cause" text,
	"a_leg_uuid" text NOT NULL,
	"b_leg_uuid" text NOT NULL,
	"masking_session_id" text,
	"scheduled_at" bigint,
	"timezone" text,
	"started_at" text,
	"answered_at" text,
	"bridged_at" text,
	"ended_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_agents" (
	"queue_id" text NOT NULL,
	"extension_id" text NOT NULL,
	"level" bigint DEFAULT 1 NOT NULL,
	"position" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "queue_agents_queue_id_extension_id_pk" PRIMARY KEY("queue_id","extension_id")
);
--> statement-breakpoint
CREATE TABLE "queues" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"strategy" text DEFAULT 'longest-idle-agent' NOT NULL,
	"moh_sound" text DEFAULT 'local_stream://moh' NOT NULL,
	"max_wait_time" bigint DEFAULT 300 NOT NULL,
	"tier_rules_apply" boolean DEFAULT false NOT NULL,
	"discard_abandoned_after" bigint DEFAULT 60 NOT NULL,
	"timeout_destination" jsonb,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tts_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"text" text NOT NULL,
	"language" text NOT NULL,
	"voice" text,
	"status" text DEFAULT 'ready' NOT NULL,
	"last_error" text,
	"last_rendered_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voicemail_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"extension" text NOT NULL,
	"call_log_id" text,
	"caller" text,
	"did" text,
	"path" text NOT NULL,
	"duration_ms" bigint DEFAULT 0 NOT NULL,
	"heard" boolean DEFAULT false NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"attempt" bigint NOT NULL,
	"status_code" bigint,
	"error" text,
	"duration_ms" bigint NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"last_error" text,
	"delivered_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" jsonb NOT NULL,
	"description" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_extension_id_extensions_id_fk" FOREIGN KEY ("extension_id") REFERENCES "public"."extensions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_caller_id_did_id_dids_id_fk" FOREIGN KEY ("caller_id_did_id") REFERENCES "public"."dids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_agents" ADD CONSTRAINT "ai_agents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_hours" ADD CONSTRAINT "business_hours_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_notes" ADD CONSTRAINT "call_notes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_numbers" ADD CONSTRAINT "campaign_numbers_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "config_snapshots" ADD CONSTRAINT "config_snapshots_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_list_members" ADD CONSTRAINT "contact_list_members_list_id_contact_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."contact_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_list_members" ADD CONSTRAINT "contact_list_members_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_lists" ADD CONSTRAINT "contact_lists_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "did_history" ADD CONSTRAINT "did_history_did_id_dids_id_fk" FOREIGN KEY ("did_id") REFERENCES "public"."dids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dids" ADD CONSTRAINT "dids_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispositions" ADD CONSTRAINT "dispositions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dnc_numbers" ADD CONSTRAINT "dnc_numbers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ivr_menu_options" ADD CONSTRAINT "ivr_menu_options_ivr_id_ivrs_id_fk" FOREIGN KEY ("ivr_id") REFERENCES "public"."ivrs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ivr_menu_options" ADD CONSTRAINT "ivr_menu_options_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ivrs" ADD CONSTRAINT "ivrs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_dids" ADD CONSTRAINT "live_dids_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "masking_sessions" ADD CONSTRAINT "masking_sessions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_calls" ADD CONSTRAINT "outbound_calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_agents" ADD CONSTRAINT "queue_agents_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_agents" ADD CONSTRAINT "queue_agents_extension_id_extensions_id_fk" FOREIGN KEY ("extension_id") REFERENCES "public"."extensions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queues" ADD CONSTRAINT "queues_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tts_templates" ADD CONSTRAINT "tts_templates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voicemail_messages" ADD CONSTRAINT "voicemail_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_user_uq" ON "agents" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_extension_uq" ON "agents" USING btree ("extension_id");--> statement-breakpoint
CREATE INDEX "agents_org_idx" ON "agents" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "agents_expiry_idx" ON "agents" USING btree ("enabled","expires_at");--> statement-breakpoint
CREATE INDEX "ai_agents_org_idx" ON "ai_agents" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_uq" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_org_idx" ON "api_keys" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "bot_legs_call_idx" ON "bot_legs" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "bot_legs_org_idx" ON "bot_legs" USING btree ("org_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "business_hours_org_name_uq" ON "business_hours" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "call_log_feed_org_seq_idx" ON "call_log_feed" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "call_logs_org_started_idx" ON "call_logs" USING btree ("org_id","started_at");--> statement-breakpoint
CREATE INDEX "call_logs_uuid_idx" ON "call_logs" USING btree ("call_uuid");--> statement-breakpoint
CREATE INDEX "call_logs_caller_idx" ON "call_logs" USING btree ("org_id","caller");--> statement-breakpoint
CREATE INDEX "call_logs_org_type_started_idx" ON "call_logs" USING btree ("org_id","direction","started_at") WHERE "call_logs"."direction" <> 'inbound';--> statement-breakpoint
CREATE INDEX "call_notes_call_idx" ON "call_notes" USING btree ("org_id","call_log_id","created_at");--> statement-breakpoint
CREATE INDEX "call_recordings_call_idx" ON "call_recordings" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE INDEX "callback_requests_org_idx" ON "callback_requests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_numbers_uq" ON "campaign_numbers" USING btree ("campaign_id","number");--> statement-breakpoint
CREATE INDEX "campaign_numbers_due_idx" ON "campaign_numbers" USING btree ("campaign_id","status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_org_name_uq" ON "campaigns" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "config_snapshots_org_version_uq" ON "config_snapshots" USING btree ("org_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_lists_org_name_uq" ON "contact_lists" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_org_phone_uq" ON "contacts" USING btree ("org_id","phone");--> statement-breakpoint
CREATE INDEX "contacts_org_name_idx" ON "contacts" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "did_history_did_idx" ON "did_history" USING btree ("did_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dids_number_uq" ON "dids" USING btree ("number");--> statement-breakpoint
CREATE INDEX "dids_org_idx" ON "dids" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispositions_org_name_uq" ON "dispositions" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "extensions_org_number_uq" ON "extensions" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "ivr_menu_options_ivr_digit_uq" ON "ivr_menu_options" USING btree ("ivr_id","digit");--> statement-breakpoint
CREATE INDEX "ivr_menu_options_org_idx" ON "ivr_menu_options" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ivrs_org_extension_uq" ON "ivrs" USING btree ("org_id","extension");--> statement-breakpoint
CREATE INDEX "ivrs_org_idx" ON "ivrs" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "live_dids_org_idx" ON "live_dids" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "masking_sessions_org_idx" ON "masking_sessions" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "masking_sessions_did_active_idx" ON "masking_sessions" USING btree ("did","status","created_at");--> statement-breakpoint
CREATE INDEX "outbound_calls_org_idx" ON "outbound_calls" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "outbound_calls_due_idx" ON "outbound_calls" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "outbound_calls_a_leg_idx" ON "outbound_calls" USING btree ("a_leg_uuid");--> statement-breakpoint
CREATE INDEX "outbound_calls_campaign_idx" ON "outbound_calls" USING btree ("campaign_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "queues_org_number_uq" ON "queues" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "tts_templates_org_name_uq" ON "tts_templates" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_org_idx" ON "users" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "voicemail_messages_org_created_idx" ON "voicemail_messages" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "voicemail_messages_org_ext_created_idx" ON "voicemail_messages" USING btree ("org_id","extension","created_at");--> statement-breakpoint
CREATE INDEX "voicemail_messages_call_idx" ON "voicemail_messages" USING btree ("call_log_id");--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_idx" ON "webhook_attempts" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_org_idx" ON "webhook_endpoints" USING btree ("org_id");