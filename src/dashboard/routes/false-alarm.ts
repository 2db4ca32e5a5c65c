// "False alarm" beside Acknowledge: staff say the tray was right. The alert resolves as
// false-alarm (who and when kept); with teach.capture on, the frames behind it are kept for
// labelling on /teach (src/teach/alert-frames.ts, through the alert event).
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { AlertDto, ErrorReply } from '../schemas.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const falseAlarmRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.post(
    '/api/alerts/:id/false-alarm',
    {
      // Whoever may acknowledge may say it was wrong: staff, admins and paired wall screens.
      config: { display: true },
      schema: {
        summary: 'Mark an alert a false alarm (the tray was right); resolves it',
        params: IdParams,
        response: { 200: AlertDto, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const a = ctx.deps.alerts.falseAlarm(req.params.id, req.session?.username ?? 'unknown');
      return a ? ctx.presentAlert(a) : reply.code(404).send({ error: 'no such alert' });
    },
  );
  done();
};
