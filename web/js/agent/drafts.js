// What an agent entered for a case, kept per browser tab while it is not saved.

/**
 * What the agent entered for a case, per browser tab (`sessionStorage`), by agent, case and attempt:
 * kept until the outcome is saved, the case given back, or the agent logs out. A draft of a
 * case that went to someone else stays until then (the tab's storage ends with the tab).
 */
export const drafts = {
  PREFIX: 'mahn:draft:',
  /**
   * @param {string} userId
   * @param {string} caseId
   * @param {number} attemptNo
   */
  of(userId, caseId, attemptNo) {
    const key = `${drafts.PREFIX}${userId}:${caseId}:${attemptNo}`;
    return {
      /** @returns {Partial<import('./outcome-form.js').Draft> | null} */
      read: () => {
        try {
          const d = JSON.parse(sessionStorage.getItem(key) ?? 'null');
          return d && typeof d === 'object' ? d : null;
        } catch {
          return null;
        }
      },
      /** @param {import('./outcome-form.js').Draft} d */
      write: (d) => {
        try {
          sessionStorage.setItem(key, JSON.stringify(d));
        } catch {
          // Storage full or disabled: the form itself still holds what was entered.
        }
      },
      drop: () => sessionStorage.removeItem(key),
    };
  },
  clear() {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(drafts.PREFIX)) sessionStorage.removeItem(key);
  },
};
