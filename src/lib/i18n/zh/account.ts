/** account: strings of its pages in Chinese. `{name}` marks a parameter. */
export const account = {
	// ── 登录 /login
	'login.title': '登录',
	'login.username': '用户名',
	'login.password': '密码',
	'login.submit': '登录',
	'login.busy': '正在登录…',
	'login.missingUsername': '请输入用户名',
	'login.missingPassword': '请输入密码',
	'login.invalid': '用户名或密码错误',
	'login.invalidRemaining': '用户名或密码错误。再失败 {n} 次，将暂停从此地址登录该账户一段时间',
	'login.locked': '从此地址登录该账户失败次数过多，请于 {until} 后再试，或请管理员解锁',
	'login.ip_blocked': '此地址登录失败次数过多，请于 {until} 后再试',
	'login.hint': '忘记密码请联系系统管理员重置',

	// ── 首次设置 /setup
	'setup.title': '首次设置：创建管理员',
	'setup.intro': '系统中还没有任何账户。请创建第一个管理员账户，之后在“系统管理”中添加其他用户。',
	'setup.username': '用户名（字母、数字、. _ -）',
	'setup.displayName': '姓名',
	'setup.password': '密码（至少 10 个字符）',
	'setup.confirm': '再次输入密码',
	'setup.submit': '创建并登录',
	'setup.errConfirm': '两次输入的密码不一致',

	// ── 我的账户 /account
	'account.title': '我的账户',
	'account.first': '您正在使用管理员设置的一次性密码，请先设置自己的密码。',
	'account.username': '用户名',
	'account.roles': '角色',
	'account.scope': '范围',
	'account.all': '全部中心',
	'account.change': '修改密码',
	'account.current': '当前密码',
	'account.password': '新密码（至少 10 个字符）',
	'account.confirm': '再次输入新密码',
	'account.submit': '保存新密码',
	'account.changed': '密码已修改，其他设备上的登录已退出。',
	'account.errConfirm': '两次输入的新密码不一致'
} as const;
