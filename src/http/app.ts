import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './context.ts';
import { PayloadTooLargeError, STATUS_OF_CODE, errorBody } from './error-response.ts';
import { DomainError } from '../domain/errors.ts';
import { requestContext } from './middleware/request-context.ts';
import { createAuthenticate } from './middleware/auth.ts';
import { validationHook } from './validation.ts';
import { registerDocs } from './docs.ts';
import { defaultConsoleDir, registerConsole } from './console.ts';
import { healthRoutes } from './routes/health/index.ts';
import { metricsRoutes } from './routes/metrics/index.ts';
import { authRoutes } from './routes/auth/index.ts';
import { apiKeyRoutes } from './routes/api-keys/index.ts';
import { ivrRoutes } from './routes/ivrs/index.ts';
import { extensionRoutes } from './routes/extensions/index.ts';
import { queueRoutes } from './routes/queues/index.ts';
import { didRoutes } from './routes/dids/index.ts';
import { agentRoutes } from './routes/agents/index.ts';
import { humanAgentRoutes } from './routes/human-agents/index.ts';
import { numberRoutes } from './routes/numbers/index.ts';
import { callbackRoutes } from './routes/callbacks/index.ts';
import { callLogRoutes } from './routes/call-logs/index.ts';
import { publishRoutes } from './routes/publishing/index.ts';
import { xmlCurlRoutes } from './routes/xml-curl/index.ts';
import { dispositionRoutes } from './routes/dispositions/index.ts';
import { webhookRoutes } from './routes/webhooks/index.ts';
import { callRoutes } from './routes/calls/index.ts';
import { placedCallRoutes } from './routes/calls/placed.ts';
import { campaignRoutes } from './routes/campaigns/index.ts';
import { maskingRoutes } from './routes/masking/index.ts';
import { voicemailRoutes } from './routes/voicemail/index.ts';
import { businessHoursRoutes } from './routes/business-hours/index.ts';
import { contactRoutes } from './routes/contacts/index.ts';
import { ttsTemplateRoutes } from './routes/tts-templates/index.ts';
import { ivrSolutionsRoutes } from './routes/compat/ivrsolutions/index.ts';
import { meRoutes } from './routes/me/index.ts';
import { liveCallRoutes } from './routes/live-calls/index.ts';
import { destinationTypeRoutes } from './routes/destinations/index.ts';
import { simulatorRoutes } from './routes/simulator/index.ts';
import { smartfloRoutes } from './routes/compat/smartflo/index.ts';
import { yeastarRoutes } from './routes/compat/yeastar/index.ts';
import { TemplateSynthesisError } from '../services/tts-templates/render.ts';
import { VoicemailGreetingError } from '../services/voicemail/errors.ts';

export type App = OpenAPIHono<AppEnv>;

/** Builds the whole HTTP API around the given dependencies. No globals: tests build one per database. */
export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestContext(deps));
  const limitBody = bodyLimit({
    maxSize: deps.config.BODY_LIMIT_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(`Request body larger than ${deps.config.BODY_LIMIT_BYTES} bytes`);
    },
  });
  // Only methods that carry a body pass through the limiter: reads skip a middleware layer entirely.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', limitBody);

  app.route('/', healthRoutes());
  app.route('/', metricsRoutes());
  app.route('/', authRoutes());
  app.route('/api/v1', authRoutes());
  app.route('/', xmlCurlRoutes());

  app.use('/api/v1/*', createAuthenticate('/api/v1/auth/'));
  app.route('/api/v1', apiKeyRoutes());
  app.route('/api/v1', ivrRoutes());
  app.route('/api/v1', extensionRoutes());
  app.route('/api/v1', queueRoutes());
  app.route('/api/v1', didRoutes());
  app.route('/api/v1', numberRoutes());
  app.route('/api/v1', agentRoutes());
  app.route('/api/v1', humanAgentRoutes());
  app.route('/api/v1', callbackRoutes());
  app.route('/api/v1', callLogRoutes());
  app.route('/api/v1', publishRoutes());
  app.route('/api/v1', dispositionRoutes());
  app.route('/api/v1', webhookRoutes());
  app.route('/api/v1', placedCallRoutes());
  app.route('/api/v1', campaignRoutes());
  app.route('/api/v1', callRoutes());
  app.route('/api/v1', maskingRoutes());
  app.route('/api/v1', voicemailRoutes());
  app.route('/api/v1', businessHoursRoutes());
  app.route('/api/v1', contactRoutes());
  app.route('/api/v1', ttsTemplateRoutes());
  app.route('/compat/ivrsolutions', ivrSolutionsRoutes());
  app.route('/api/v1', meRoutes());
  app.route('/api/v1', liveCallRoutes());
  app.route('/api/v1', destinationTypeRoutes());
  app.route('/api/v1', simulatorRoutes());
  app.route('/compat/smartflo', smartfloRoutes());
  app.route('/compat/yeastar', yeastarRoutes());

  registerDocs(app);
  registerConsole(app, deps.config.CONSOLE_DIR ?? defaultConsoleDir());

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  app.onError((err, c) => {
    // The rest of an oversize body is still on the wire and will not be read: say the connection
    // ends here, so the client neither reuses it nor sees a keep-alive socket dropped under it.
    if (err instanceof PayloadTooLargeError) {
      c.header('Connection', 'close');
      return c.json(errorBody(err.code, err.message), 413);
    }
    // Domain errors (raised below the HTTP layer) become their responses here, and only here.
    if (err instanceof DomainError) {
      const status = STATUS_OF_CODE[err.code];
      // A greeting or template the TTS engine could not render is the engine's failure: a warning, not an error of ours.
      if (err instanceof VoicemailGreetingError || err instanceof TemplateSynthesisError) c.get('logger')?.warn({ err }, err.message);
      else if (status >= 500) c.get('logger')?.error({ err }, err.message);
      return c.json(errorBody(err.code, err.message, err.details), status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      // Malformed JSON and similar framework-level rejections.
      const code = status === 400 ? 'validation_error' : status === 401 ? 'unauthorized' : 'http_error';
      return c.json(errorBody(code, err.message || 'Bad request'), status);
    }
    (c.get('logger') ?? deps.logger).error({ err }, 'unhandled error');
    return c.json(errorBody('internal_error', 'Internal server error'), 500);
  });

  return app;
}
