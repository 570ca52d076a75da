import type { Locale } from './locales';

/** What each mail says, per language. `{name}` is filled in; `link` is the mail's one button. */
export interface MailText {
  subject: string;
  lines: string[];
  action?: string;
}

export const MAIL_KINDS = [
  'verify-email',
  'password-reset',
  'order-paid-buyer',
  'order-paid-seller',
  'order-shipped',
  'drop-reminder',
  'reservation-expiring',
  'coupon-issued',
  'export-ready',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MESSAGES: Record<MailKind, Record<Locale, MailText>> = {
  'verify-email': {
    en: {
      subject: 'Confirm your e-mail address',
      lines: ['Hello {name},', 'Please confirm this is your address.'],
      action: 'Confirm my address',
    },
    'zh-Hans': {
      subject: '请确认您的电子邮件地址',
      lines: ['{name}，您好：', '请确认这是您的电子邮件地址。'],
      action: '确认我的地址',
    },
    ja: {
      subject: 'メールアドレスの確認',
      lines: ['{name} 様', 'このメールアドレスがご本人のものであることを確認してください。'],
      action: 'アドレスを確認する',
    },
    'pt-BR': {
      subject: 'Confirme seu endereço de e-mail',
      lines: ['Olá, {name},', 'Confirme que este endereço é seu.'],
      action: 'Confirmar meu endereço',
    },
  },
  'password-reset': {
    en: {
      subject: 'Reset your password',
      lines: [
        'Hello {name},',
        'Someone asked to reset your password. The link works once, until {expiresAt}.',
        'If it was not you, ignore this mail.',
      ],
      action: 'Choose a new password',
    },
    'zh-Hans': {
      subject: '重置您的密码',
      lines: [
        '{name}，您好：',
        '有人请求重置您的密码。该链接仅可使用一次，有效期至 {expiresAt}。',
        '如果不是您本人操作，请忽略此邮件。',
      ],
      action: '设置新密码',
    },
    ja: {
      subject: 'パスワードの再設定',
      lines: [
        '{name} 様',
        'パスワードの再設定が依頼されました。リンクは {expiresAt} まで、一度だけ使えます。',
        'お心当たりがない場合は、このメールを無視してください。',
      ],
      action: '新しいパスワードを設定する',
    },
    'pt-BR': {
      subject: 'Redefina sua senha',
      lines: [
        'Olá, {name},',
        'Pediram para redefinir sua senha. O link vale uma vez, até {expiresAt}.',
        'Se não foi você, ignore este e-mail.',
      ],
      action: 'Escolher uma nova senha',
    },
  },
  'order-paid-buyer': {
    en: {
      subject: 'Receipt for your order {orderId}',
      lines: [
        'Hello {name},',
        'Thank you: your payment of {amount} for "{title}" was received on {paidAt}.',
        'Order {orderId}, sold by {sellerName}.',
      ],
    },
    'zh-Hans': {
      subject: '订单 {orderId} 的收据',
      lines: [
        '{name}，您好：',
        '谢谢！我们已于 {paidAt} 收到您为「{title}」支付的 {amount}。',
        '订单 {orderId}，卖家：{sellerName}。',
      ],
    },
    ja: {
      subject: 'ご注文 {orderId} の領収書',
      lines: [
        '{name} 様',
        'ありがとうございます。「{title}」のお支払い {amount} を {paidAt} に受け付けました。',
        '注文番号 {orderId}、出品者 {sellerName}。',
      ],
    },
    'pt-BR': {
      subject: 'Recibo do pedido {orderId}',
      lines: [
        'Olá, {name},',
        'Obrigado: recebemos seu pagamento de {amount} por "{title}" em {paidAt}.',
        'Pedido {orderId}, vendido por {sellerName}.',
      ],
    },
  },
  'order-paid-seller': {
    en: {
      subject: 'Sold: {title}',
      lines: [
        'Hello {name},',
        '{buyerName} bought "{title}" for {amount} on {paidAt}.',
        'Please ship order {orderId} and add its tracking number.',
      ],
    },
    'zh-Hans': {
      subject: '已售出：{title}',
      lines: [
        '{name}，您好：',
        '{buyerName} 于 {paidAt} 以 {amount} 购买了「{title}」。',
        '请发出订单 {orderId} 并填写物流单号。',
      ],
    },
    ja: {
      subject: '売れました：{title}',
      lines: [
        '{name} 様',
        '{buyerName} さんが {paidAt} に「{title}」を {amount} で購入しました。',
        '注文 {orderId} を発送し、追跡番号を登録してください。',
      ],
    },
    'pt-BR': {
      subject: 'Vendido: {title}',
      lines: [
        'Olá, {name},',
        '{buyerName} comprou "{title}" por {amount} em {paidAt}.',
        'Envie o pedido {orderId} e informe o código de rastreio.',
      ],
    },
  },
  'order-shipped': {
    en: {
      subject: 'Your order {orderId} is on its way',
      lines: [
        'Hello {name},',
        '"{title}" was shipped on {shippedAt}.',
        'Carrier: {carrier}. Tracking number: {trackingNumber}.',
      ],
    },
    'zh-Hans': {
      subject: '您的订单 {orderId} 已发货',
      lines: [
        '{name}，您好：',
        '「{title}」已于 {shippedAt} 发货。',
        '承运商：{carrier}。物流单号：{trackingNumber}。',
      ],
    },
    ja: {
      subject: 'ご注文 {orderId} を発送しました',
      lines: [
        '{name} 様',
        '「{title}」は {shippedAt} に発送されました。',
        '配送業者：{carrier}。追跡番号：{trackingNumber}。',
      ],
    },
    'pt-BR': {
      subject: 'Seu pedido {orderId} foi enviado',
      lines: [
        'Olá, {name},',
        '"{title}" foi enviado em {shippedAt}.',
        'Transportadora: {carrier}. Código de rastreio: {trackingNumber}.',
      ],
    },
  },
  'drop-reminder': {
    en: {
      subject: 'The drop "{title}" is live',
      lines: [
        'Hello {name},',
        'The drop you asked to be reminded of opened on {startsAt} and ends on {endsAt}.',
      ],
      action: 'Open the drop',
    },
    'zh-Hans': {
      subject: '限时发售「{title}」已开始',
      lines: ['{name}，您好：', '您预约提醒的限时发售已于 {startsAt} 开始，将于 {endsAt} 结束。'],
      action: '查看限时发售',
    },
    ja: {
      subject: 'ドロップ「{title}」が始まりました',
      lines: [
        '{name} 様',
        'リマインダーを設定したドロップが {startsAt} に始まりました。終了は {endsAt} です。',
      ],
      action: 'ドロップを開く',
    },
    'pt-BR': {
      subject: 'O drop "{title}" começou',
      lines: [
        'Olá, {name},',
        'O drop que você pediu para lembrar abriu em {startsAt} e termina em {endsAt}.',
      ],
      action: 'Abrir o drop',
    },
  },
  'reservation-expiring': {
    en: {
      subject: 'Your reservation ends soon',
      lines: [
        'Hello {name},',
        'The unit you unlocked in "{title}" is held for you until {expiresAt}. Check out before then.',
      ],
      action: 'Check out',
    },
    'zh-Hans': {
      subject: '您的预留即将到期',
      lines: [
        '{name}，您好：',
        '您在「{title}」中解锁的商品将为您保留至 {expiresAt}，请在此之前完成结账。',
      ],
      action: '去结账',
    },
    ja: {
      subject: 'お取り置きの期限が近づいています',
      lines: [
        '{name} 様',
        '「{title}」で獲得した商品は {expiresAt} までお取り置きしています。それまでにご購入ください。',
      ],
      action: '購入手続きへ',
    },
    'pt-BR': {
      subject: 'Sua reserva termina em breve',
      lines: [
        'Olá, {name},',
        'A unidade que você desbloqueou em "{title}" fica reservada até {expiresAt}. Finalize a compra antes disso.',
      ],
      action: 'Finalizar compra',
    },
  },
  'coupon-issued': {
    en: {
      subject: 'A coupon from {brandName}',
      lines: [
        'Hello {name},',
        'You have a new coupon from {brandName}: {discount}.',
        'Code: {code}. Valid until {expiresAt}.',
      ],
    },
    'zh-Hans': {
      subject: '来自 {brandName} 的优惠券',
      lines: [
        '{name}，您好：',
        '您获得了 {brandName} 的新优惠券：{discount}。',
        '券码：{code}。有效期至 {expiresAt}。',
      ],
    },
    ja: {
      subject: '{brandName} からのクーポン',
      lines: [
        '{name} 様',
        '{brandName} から新しいクーポンが届きました：{discount}。',
        'コード：{code}。有効期限 {expiresAt}。',
      ],
    },
    'pt-BR': {
      subject: 'Um cupom de {brandName}',
      lines: [
        'Olá, {name},',
        'Você recebeu um novo cupom de {brandName}: {discount}.',
        'Código: {code}. Válido até {expiresAt}.',
      ],
    },
  },
  'export-ready': {
    en: {
      subject: 'Your finance export is ready',
      lines: ['Hello {name},', 'The export {exportId} ({rows} orders) finished on {finishedAt}.'],
      action: 'Download',
    },
    'zh-Hans': {
      subject: '您的财务导出已完成',
      lines: ['{name}，您好：', '导出 {exportId}（{rows} 笔订单）已于 {finishedAt} 完成。'],
      action: '下载',
    },
    ja: {
      subject: '会計エクスポートの準備ができました',
      lines: [
        '{name} 様',
        'エクスポート {exportId}（{rows} 件の注文）が {finishedAt} に完了しました。',
      ],
      action: 'ダウンロード',
    },
    'pt-BR': {
      subject: 'Sua exportação financeira está pronta',
      lines: ['Olá, {name},', 'A exportação {exportId} ({rows} pedidos) terminou em {finishedAt}.'],
      action: 'Baixar',
    },
  },
};
