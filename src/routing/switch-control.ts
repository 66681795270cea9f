/**
 * What the management API asks of the switch after a publish: reload the directory and
 * callcenter queues. Implemented over the inbound ESL client; a no-op stand-in when
 * no switch is connected (the next FreeSWITCH start reads everything through xml_curl).
 */
export interface SwitchControl {
  /** Apply queue definitions: `callcenter_config queue load|reload <name>` per queue, then `reloadxml`. */
  applyPublished(input: { queueNames: string[]; removedQueueNames: string[] }): Promise<{ applied: boolean; errors: string[] }>;
}

export const offlineSwitchControl: SwitchControl = {
  async applyPublished() {
    return { applied: false, errors: [] };
  },
};
