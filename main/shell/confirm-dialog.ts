// The port for a main-side confirmation: a question the renderer can neither answer nor fake,
// asked before the key goes to a new host or a program starts. Electron's message box in the app;
// the fake Electron answers it in tests.
export interface ConfirmRequest {
  title: string;
  /** The question, naming what is at stake (the host, the server). */
  message: string;
  /** Exactly what will happen (the command line, its folder and environment). */
  detail: string;
  confirmLabel: string;
}

export type Confirm = (r: ConfirmRequest) => Promise<boolean>;

interface MessageBoxLike {
  showMessageBox(o: { type: 'warning'; title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number; noLink: boolean }): Promise<{ response: number }>;
}

/** Electron's dialog as a Confirm: "Cancel" is the default, so Enter never approves by accident. */
export function electronConfirm(dialog: MessageBoxLike): Confirm {
  return async (r) => {
    const { response } = await dialog.showMessageBox({ type: 'warning', title: r.title, message: r.message, detail: r.detail, buttons: ['Cancel', r.confirmLabel], defaultId: 0, cancelId: 0, noLink: true });
    return response === 1;
  };
}
