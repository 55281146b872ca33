// Whether the renderer can reach Winnow's background service (main), for a banner and for the api's
// waiting calls. Electron's IPC is always connected; the loopback WebSocket can drop and come back.
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected'
export type TransportKind = 'electron' | 'loopback'

export class ConnectionState {
  #status = $state<ConnectionStatus>('connecting')
  #transport = $state<TransportKind | null>(null)
  #reconnectAttempts = $state(0)

  get status(): ConnectionStatus {
    return this.#status
  }

  get transport(): TransportKind | null {
    return this.#transport
  }

  /** Failed attempts since the connection was last up; 0 while connected. */
  get reconnectAttempts(): number {
    return this.#reconnectAttempts
  }

  get isConnected(): boolean {
    return this.#status === 'connected'
  }

  markConnecting(transport: TransportKind): void {
    this.#transport = transport
    this.#status = 'connecting'
  }

  markConnected(transport: TransportKind): void {
    this.#transport = transport
    this.#status = 'connected'
    this.#reconnectAttempts = 0
  }

  markDisconnected(): void {
    if (this.#status !== 'connected') this.#reconnectAttempts += 1
    this.#status = 'disconnected'
  }
}

export const connection = new ConnectionState()
