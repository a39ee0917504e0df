/** Asks before anything reaches a device. Escape or Cancel says no; the confirm button has the focus. */
import { useEffect, useRef } from 'react';

export function ConfirmDialog({ question, confirmLabel = 'Confirm', danger, onConfirm, onCancel }: { question: string; confirmLabel?: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="backdrop" onClick={onCancel}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-question" onClick={(e) => e.stopPropagation()}>
        <p id="confirm-question" style={{ margin: 0, fontSize: '1.05rem' }}>
          {question}
        </p>
        <div className="button-row">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" ref={confirmRef} className={danger ? 'button danger' : 'button primary'} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
